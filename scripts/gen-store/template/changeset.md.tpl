---
'@tessera/{{name}}': minor
---

First release of `@tessera/{{name}}`: `{{Name}}Store`, a Tessera session store on {{Name}}. Say here what it does for a user (the backend, how conditional writes stay atomic, how records expire), in the words the changelog should carry.
