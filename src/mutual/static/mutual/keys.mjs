// A person's keys on their device (docs/e2e.md, "Keys follow the person"): on the pages
// of sign-up, sign-in, re-authentication, password change, reset by mail, and the page
// that opens the keys after signing in. The password is stretched here, into a key that
// unwraps the private key and a sign-in secret; only the secret is sent, where the
// password used to go. The page says which of these it is in #keys-data.
import * as e2e from "mutual-e2e";

const data = JSON.parse(document.getElementById("keys-data").textContent);
const STORE = {
  private: "mutual.keys.private",
  unwrap: "mutual.keys.unwrap",
  recovery: "mutual.keys.recovery",
};
const MIN_LENGTH = 12;
const SALT_BYTES = 16;

const WORDS = {
  working: "Making your keys on this device. This takes a moment.",
  opening: "Opening your keys on this device…",
  short: `Your password needs at least ${MIN_LENGTH} characters. A few words that belong together only for you make a strong one.`,
  common: "This password is one many people use, so it is easy to guess. Please choose another.",
  differ: "The two passwords are not the same. Please type the new one again, twice.",
  notNow: "That is not your password now. Please try again.",
  recoveryUnread: "That recovery key does not read right: it is 52 letters and digits, in groups of four.",
  recoveryWrong: "This recovery key does not open your keys. Check it once more, or leave it empty to start with fresh keys.",
  failed: "Something went wrong on this device, and nothing was sent. Please try again.",
  unwrapFailed: "Your keys did not open with that password. Please try again.",
};

function store(name, value) {
  try {
    if (value === null) window.sessionStorage.removeItem(name);
    else window.sessionStorage.setItem(name, value);
  } catch (error) { /* no storage: the keys are asked for again */ }
}

function stored(name) {
  try {
    return window.sessionStorage.getItem(name);
  } catch (error) {
    return null;
  }
}

function keepPrivate(identity) {
  store(STORE.private, JSON.stringify({
    public: e2e.b64(identity.public), private: e2e.b64(identity.private),
  }));
}

function randomBytes(size) {
  return window.crypto.getRandomValues(new Uint8Array(size));
}

// A moment for the page to show what it is doing before Argon2id takes the thread.
function breathe() {
  return new Promise((resolve) => window.requestAnimationFrame(() => setTimeout(resolve, 0)));
}

function statusFor(form) {
  let box = document.getElementById("keys-status");
  if (box === null) {
    box = document.createElement("p");
    box.id = "keys-status";
    box.className = "message keys-status";
    box.setAttribute("role", "status");
    form.before(box);
  }
  return box;
}

function say(form, text, problem = false) {
  const box = statusFor(form);
  box.textContent = text;
  box.hidden = !text;
  box.classList.toggle("message--error", problem);
  box.setAttribute("role", problem ? "alert" : "status");
}

// Send `value` under `name` in place of what was typed there: the typed field loses its
// name (so it is never sent, and a password manager keeps the password, not the secret).
function sendAs(form, name, value) {
  const typed = form.querySelector(`[name="${name}"]`);
  if (typed !== null && typed.type !== "hidden") typed.removeAttribute("name");
  hidden(form, name, value);
}

function hidden(form, name, value) {
  let input = form.querySelector(`input[type=hidden][name="${name}"]`);
  if (input === null) {
    input = document.createElement("input");
    input.type = "hidden";
    input.name = name;
    form.append(input);
  }
  input.value = String(value);
}

function send(form, submitter) {
  if (submitter && submitter.name) hidden(form, submitter.name, submitter.value);
  form.submit();
}

let common = null;

async function passwordProblem(password, again) {
  if ([...password].length < MIN_LENGTH) return WORDS.short;
  if (again !== null && password !== again) return WORDS.differ;
  if (common === null) {
    const answer = await fetch(data.urls.common, { credentials: "same-origin" });
    common = new Set((await answer.text()).split("\n").map((line) => line.trim()));
  }
  if (common.has(password.toLowerCase().trim())) return WORDS.common;
  return null;
}

function newKeys(password) {
  const salt = randomBytes(SALT_BYTES);
  return { salt, derived: e2e.passwordKeys(password, salt, data.limits) };
}

function limitsFields(form, salt, limits) {
  hidden(form, "e2e_salt", e2e.b64(salt));
  hidden(form, "e2e_opslimit", limits.opslimit);
  hidden(form, "e2e_memlimit", limits.memlimit);
}

function freshIdentityFields(form, derived) {
  const identity = e2e.newIdentity();
  const recovery = e2e.newRecoveryKey();
  hidden(form, "e2e_public", e2e.b64(identity.public));
  hidden(form, "e2e_wrapped_password", e2e.b64(e2e.wrapPrivate(identity.private, derived.unwrap)));
  hidden(form, "e2e_wrapped_recovery", e2e.b64(e2e.wrapPrivate(identity.private, recovery)));
  return { identity, words: e2e.recoveryWords(recovery) };
}

// The recovery key, shown once: copy, print, and a confirmation that it was kept before
// `then` runs.
function showRecovery(before, words, label, then) {
  const panel = document.createElement("section");
  panel.className = "card keys-recovery";
  panel.setAttribute("aria-labelledby", "keys-recovery-title");
  panel.innerHTML = `
    <h2 id="keys-recovery-title">Your recovery key</h2>
    <p>Mutual has made you a key of your own: it is opened on your devices, by your
    password, and Mutual itself cannot open it. What you write is moving under this key.
    If you ever forget your password, this recovery key opens your key again. Mutual
    cannot show it to you a second time.</p>
    <p>Keep it somewhere only you can reach: on paper at home, or in a password manager.</p>
    <p class="keys-recovery__words"><code></code></p>
    <div class="actions">
      <button type="button" class="button button--quiet" data-copy>Copy</button>
      <button type="button" class="button button--quiet" data-print>Print</button>
    </div>
    <p class="keys-recovery__copied" role="status"></p>
    <div class="field field--check"><input type="checkbox" id="keys-kept" data-kept>
      <label for="keys-kept">I have kept my recovery key somewhere safe</label></div>
    <div class="actions"><button type="button" class="button" data-go disabled></button></div>`;
  panel.querySelector("code").textContent = words;
  const go = panel.querySelector("[data-go]");
  go.textContent = label;
  panel.querySelector("[data-kept]").addEventListener("change", (event) => {
    go.disabled = !event.target.checked;
  });
  panel.querySelector("[data-copy]").addEventListener("click", async () => {
    const note = panel.querySelector(".keys-recovery__copied");
    try {
      await navigator.clipboard.writeText(words);
      note.textContent = "Copied. Paste it somewhere safe, then come back here.";
    } catch (error) {
      note.textContent = "This browser did not let Mutual copy it: please write it down.";
    }
  });
  panel.querySelector("[data-print]").addEventListener("click", () => window.print());
  go.addEventListener("click", () => {
    go.disabled = true;
    then();
  });
  before.hidden = true;
  before.after(panel);
  document.body.classList.add("keys-printing-recovery");
  panel.querySelector("h2").setAttribute("tabindex", "-1");
  panel.querySelector("h2").focus();
}

// The pages ---------------------------------------------------------------------------

const pages = {
  async signup(form, submitter) {
    const password = form.elements.password1.value;
    const problem = await passwordProblem(password, form.elements.password2.value);
    if (problem) return say(form, problem, true);
    say(form, WORDS.working);
    await breathe();
    const { salt, derived } = newKeys(password);
    limitsFields(form, salt, data.limits);
    const { identity, words } = freshIdentityFields(form, derived);
    const secret = e2e.b64(derived.signIn);
    say(form, "");
    showRecovery(form, words, "Create my account", () => {
      keepPrivate(identity);
      sendAs(form, "password1", secret);
      sendAs(form, "password2", secret);
      send(form, submitter);
    });
  },

  async signin(form, submitter) {
    const email = form.elements.login.value.trim();
    const password = form.elements.password.value;
    if (!email || !password) return send(form, submitter);
    say(form, WORDS.opening);
    const token = form.elements.csrfmiddlewaretoken.value;
    const asked = await fetch(data.urls.salt, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": token },
      body: new URLSearchParams({ email }),
    });
    const answer = await asked.json();
    // Asked too often: the server's own words, and nothing is sent.
    if (!asked.ok) return say(form, answer.detail || WORDS.failed, true);
    await breathe();
    const derived = e2e.passwordKeys(password, e2e.unb64(answer.salt), answer);
    store(STORE.unwrap, e2e.b64(derived.unwrap));
    if (answer.legacy === "password") {
      // An account made before keys, on a server that does not move accounts over yet.
      store(STORE.unwrap, null);
      return send(form, submitter);
    }
    if (answer.legacy === "move") {
      // An account made before keys: the password goes once more, with fresh keys;
      // from then on only the secret does. The recovery key is shown after signing in.
      limitsFields(form, e2e.unb64(answer.salt), answer);
      const { words } = freshIdentityFields(form, derived);
      hidden(form, "e2e_secret", e2e.b64(derived.signIn));
      store(STORE.recovery, words);
      return send(form, submitter);
    }
    sendAs(form, "password", e2e.b64(derived.signIn));
    return send(form, submitter);
  },

  async reauth(form, submitter) {
    const password = form.elements.password.value;
    if (data.keys === null || !password) return send(form, submitter);
    say(form, WORDS.opening);
    await breathe();
    const derived = e2e.passwordKeys(password, e2e.unb64(data.keys.salt), data.keys);
    sendAs(form, "password", e2e.b64(derived.signIn));
    return send(form, submitter);
  },

  async change(form, submitter) {
    if (data.keys === null) return send(form, submitter);
    const password = form.elements.password1.value;
    const problem = await passwordProblem(password, form.elements.password2.value);
    if (problem) return say(form, problem, true);
    say(form, WORDS.working);
    await breathe();
    const old = e2e.passwordKeys(
      form.elements.oldpassword.value, e2e.unb64(data.keys.salt), data.keys);
    let privateKey;
    try {
      privateKey = e2e.unwrapPrivate(e2e.unb64(data.keys.wrapped_by_password), old.unwrap);
    } catch (error) {
      return say(form, WORDS.notNow, true);
    }
    const { salt, derived } = newKeys(password);
    limitsFields(form, salt, data.limits);
    hidden(form, "e2e_wrapped_password", e2e.b64(e2e.wrapPrivate(privateKey, derived.unwrap)));
    keepPrivate(e2e.identityOf(privateKey));
    sendAs(form, "oldpassword", e2e.b64(old.signIn));
    sendAs(form, "password1", e2e.b64(derived.signIn));
    sendAs(form, "password2", e2e.b64(derived.signIn));
    return send(form, submitter);
  },

  async reset(form, submitter) {
    const password = form.elements.password1.value;
    const problem = await passwordProblem(password, form.elements.password2.value);
    if (problem) return say(form, problem, true);
    const typed = (document.getElementById("keys-recovery-words")?.value || "").trim();
    let privateKey = null;
    if (typed && data.keys !== null) {
      let recovery;
      try {
        recovery = e2e.recoveryKeyFrom(typed);
      } catch (error) {
        return say(form, WORDS.recoveryUnread, true);
      }
      try {
        privateKey = e2e.unwrapPrivate(e2e.unb64(data.keys.wrapped_by_recovery), recovery);
      } catch (error) {
        return say(form, WORDS.recoveryWrong, true);
      }
    }
    say(form, WORDS.working);
    await breathe();
    const { salt, derived } = newKeys(password);
    limitsFields(form, salt, data.limits);
    const secret = e2e.b64(derived.signIn);
    const finish = () => {
      sendAs(form, "password1", secret);
      sendAs(form, "password2", secret);
      send(form, submitter);
    };
    if (privateKey !== null) {
      const identity = e2e.identityOf(privateKey);
      hidden(form, "e2e_public", e2e.b64(identity.public));
      hidden(form, "e2e_wrapped_password", e2e.b64(e2e.wrapPrivate(privateKey, derived.unwrap)));
      hidden(form, "e2e_wrapped_recovery", data.keys.wrapped_by_recovery);
      return finish();
    }
    const { words } = freshIdentityFields(form, derived);
    say(form, "");
    return showRecovery(form, words, "Save my new password", finish);
  },
};

// After signing in: open the keys here, show a recovery key not yet seen, then go on.
async function open() {
  const form = document.getElementById("keys-open-form");
  const next = data.next || "/bonds/";
  const go = () => window.location.replace(next);
  const words = stored(STORE.recovery);
  const done = () => {
    store(STORE.unwrap, null);
    if (words) {
      store(STORE.recovery, null);
      return showRecovery(form, words, "Continue", go);
    }
    return go();
  };
  if (data.keys === null) return done();
  const mine = JSON.parse(stored(STORE.private) || "null");
  if (mine !== null && mine.public === data.keys.public) return done();
  const wrapped = e2e.unb64(data.keys.wrapped_by_password);
  const unwrap = stored(STORE.unwrap);
  if (unwrap !== null) {
    try {
      keepPrivate(e2e.identityOf(e2e.unwrapPrivate(wrapped, e2e.unb64(unwrap))));
      return done();
    } catch (error) { /* ask for the password below */ }
  }
  form.hidden = false;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    say(form, WORDS.opening);
    await breathe();
    const derived = e2e.passwordKeys(
      document.getElementById("keys-open-password").value, e2e.unb64(data.keys.salt), data.keys);
    try {
      keepPrivate(e2e.identityOf(e2e.unwrapPrivate(wrapped, derived.unwrap)));
    } catch (error) {
      return say(form, WORDS.unwrapFailed, true);
    }
    return done();
  });
}

// The safety code of the person's own key (as this device holds it, not as the server
// says) and the partner's public key (as the server gave it): the same on both devices
// unless someone swapped a key between them.
async function safety() {
  const mine = JSON.parse(stored(STORE.private) || "null");
  if (mine === null) {
    document.getElementById("safety-code-closed").hidden = false;
    return;
  }
  document.getElementById("safety-code").textContent = e2e.safetyCode(
    e2e.unb64(mine.public), e2e.unb64(data.partner));
}

// The listener is in place before libsodium has loaded (a module runs before the page
// counts as loaded), so a quick submit waits for it rather than sending the password.
if (data.mode === "safety") {
  await e2e.ready();
  await safety();
} else if (data.mode === "open") {
  data.next = document.getElementById("keys-open-form")?.dataset.next;
  await e2e.ready();
  await open();
} else {
  const form = [...document.querySelectorAll("main form")].find(
    (candidate) => candidate.querySelector("input[type=password]") !== null);
  if (form) {
    let busy = false;
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (busy) return;
      busy = true;
      try {
        await e2e.ready();
        await pages[data.mode](form, event.submitter);
      } catch (error) {
        say(form, WORDS.failed, true);
      } finally {
        busy = false;
      }
    });
    form.dataset.keys = "ready";
  }
}
