"""The API's request and response bodies, one module per feature, named as its routes
module is (``mutual.api.bonds`` takes its bodies from ``mutual.api.schemas.bonds``)."""
