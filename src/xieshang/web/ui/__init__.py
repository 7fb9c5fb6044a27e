"""The web application people use: server-rendered pages (Jinja2), zh-CN by default, English on
request. Routes are thin: they call the same services as the API; no business rule lives here."""
