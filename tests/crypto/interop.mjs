// Runs Mutual's browser scheme (static/mutual/e2e.mjs) under Node for the Python tests:
// reads one JSON request on stdin, answers one JSON object on stdout. Bytes travel as
// unpadded URL-safe base64, as the scheme writes them.
import * as e2e from "./e2e.mjs";

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const request = JSON.parse(Buffer.concat(chunks).toString("utf8"));
await e2e.ready();
const b = (text) => e2e.unb64(text);
const enc = (text) => new TextEncoder().encode(text);
const out = {};

if (request.vectors) {
  const v = request.vectors;
  const keys = e2e.passwordKeys(v.password, b(v.salt));
  const sealed = e2e.sealText(v.text, enc(v.aad), b(v.key), b(v.nonce)).sealed;
  out.vectors = {
    unwrap: e2e.b64(keys.unwrap),
    sign_in: e2e.b64(keys.signIn),
    kdf: e2e.b64(e2e.kdf(b(v.key), 7, "mutualpw")),
    public: e2e.b64(e2e.identityOf(b(v.private)).public),
    ciphertext: e2e.b64(sealed.ciphertext),
    commitment: e2e.b64(sealed.commitment),
    safety_code: e2e.safetyCode(b(v.public_a), b(v.public_b)),
    recovery_words: e2e.recoveryWords(b(v.key)),
    recovery_key: e2e.b64(e2e.recoveryKeyFrom(v.recovery_words_lower)),
  };
}

if (request.open) {
  // Texts Python sealed and released to this identity: open each, or say why not.
  const me = e2e.identityOf(b(request.open.private));
  out.opened = request.open.texts.map((t) => {
    try {
      const key = e2e.receive(b(t.released), me);
      const sealed = { ciphertext: b(t.ciphertext), commitment: b(t.commitment) };
      return { text: e2e.openText(sealed, key, enc(t.aad)) };
    } catch (error) {
      return { error: `${error.constructor.name}: ${error.message}` };
    }
  });
  out.unwrapped = e2e.b64(e2e.unwrapPrivate(b(request.open.wrapped), b(request.open.wrap_key)));
}

if (request.seal) {
  // Texts for Python to open: sealed here, their keys released to Python's identity.
  const to = b(request.seal.public);
  out.sealed = request.seal.texts.map((t) => {
    const { sealed, key } = e2e.sealText(t.text, enc(t.aad));
    return {
      ciphertext: e2e.b64(sealed.ciphertext),
      commitment: e2e.b64(sealed.commitment),
      released: e2e.b64(e2e.release(key, to)),
      aad: t.aad,
    };
  });
  const mine = e2e.newIdentity();
  out.identity = { public: e2e.b64(mine.public), wrapped: e2e.b64(e2e.wrapPrivate(mine.private, b(request.seal.wrap_key))) };
  out.safety_code = e2e.safetyCode(mine.public, to);
}

process.stdout.write(JSON.stringify(out));
