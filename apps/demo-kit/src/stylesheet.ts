/**
 * The demos' one stylesheet, served at `/style.css`. Light and dark themes are two sets of
 * custom properties under `html[data-theme]`, which the layout sets from the session.
 */
export const STYLESHEET = `:root { color-scheme: light; --bg: #f7f5f0; --fg: #1f2328; --muted: #5b616b; --card: #ffffff;
  --line: #dedad2; --accent: #2f5fb3; --accent-fg: #ffffff; --danger: #b3261e; --info-bg: #e6f0ff; --error-bg: #fde8e6; }
html[data-theme="dark"] { color-scheme: dark; --bg: #14161a; --fg: #e7e9ec; --muted: #a0a7b2; --card: #1d2026;
  --line: #333842; --accent: #7aa7ff; --accent-fg: #0b0d10; --danger: #ff8a80; --info-bg: #1c2a44; --error-bg: #3d1f1d; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; }
a { color: var(--accent); }
code { font-family: ui-monospace, "SFMono-Regular", Menlo, monospace; font-size: 0.92em; }
.top { display: flex; flex-wrap: wrap; align-items: center; gap: 0.75rem 1.5rem; padding: 0.9rem 1.5rem;
  background: var(--card); border-bottom: 1px solid var(--line); }
.brand { font-weight: 700; font-size: 1.15rem; color: var(--fg); text-decoration: none; display: flex; align-items: center; gap: 0.5rem; }
.brand small { font-weight: 400; color: var(--muted); }
.tiles { width: 1.4rem; height: 1.4rem; border-radius: 3px;
  background: conic-gradient(#2f5fb3 0 25%, #d4a017 0 50%, #c2562d 0 75%, #3c8d6b 0); }
nav { display: flex; gap: 1rem; }
nav a, .account a { text-decoration: none; }
nav a[aria-current="page"], .account a[aria-current="page"] { font-weight: 700; text-decoration: underline; }
.account { margin-left: auto; display: flex; align-items: center; gap: 0.9rem; flex-wrap: wrap; }
.badge { display: inline-block; min-width: 1.4em; padding: 0 0.4em; border-radius: 1em; background: var(--accent);
  color: var(--accent-fg); font-size: 0.8em; text-align: center; }
main { max-width: 54rem; margin: 0 auto; padding: 1.5rem; }
h1 { margin: 0.5rem 0 1rem; }
h2 { margin-top: 0; font-size: 1.15rem; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 1rem 1.25rem; margin: 0 0 1.25rem; }
.stack { display: flex; flex-direction: column; gap: 0.8rem; max-width: 24rem; }
.stack label, .row label { display: flex; flex-direction: column; gap: 0.25rem; font-weight: 600; }
.row { display: flex; align-items: flex-end; gap: 0.75rem; flex-wrap: wrap; }
input { font: inherit; padding: 0.45rem 0.6rem; border: 1px solid var(--line); border-radius: 6px; background: var(--bg); color: var(--fg); }
.button { font: inherit; padding: 0.45rem 0.9rem; border: 0; border-radius: 6px; background: var(--accent); color: var(--accent-fg); cursor: pointer; }
.button.danger { background: var(--danger); }
.link { font: inherit; padding: 0; border: 0; background: none; color: var(--accent); cursor: pointer; text-decoration: underline; }
form.inline { display: inline; margin: 0; }
.flash { padding: 0.6rem 0.9rem; border-radius: 6px; margin: 0 0 1rem; }
.flash-info { background: var(--info-bg); }
.flash-error { background: var(--error-bg); }
.hint { color: var(--muted); font-size: 0.92rem; }
.note { border-left: 4px solid var(--accent); padding: 0.25rem 1rem; background: var(--info-bg); border-radius: 4px; }
ul.cart, ul.catalogue { list-style: none; padding: 0; margin: 0; }
ul.cart li, ul.catalogue li { display: flex; align-items: center; gap: 0.6rem; padding: 0.4rem 0; border-bottom: 1px solid var(--line); }
ul.catalogue li form { margin-left: auto; }
ul.cart li form { margin-left: auto; }
.quantity { color: var(--muted); }
.tile { width: 1.2rem; height: 1.2rem; border-radius: 3px; display: inline-block; }
.tile-blue-tile { background: #2f5fb3; } .tile-gold-tile { background: #d4a017; } .tile-terracotta-tile { background: #c2562d; }
.tile-marble-tile { background: linear-gradient(135deg, #f4f4f4, #b9b9b9); } .tile-jade-tile { background: #3c8d6b; }
table.sessions { width: 100%; border-collapse: collapse; margin-bottom: 0.75rem; }
table.sessions th, table.sessions td { text-align: left; padding: 0.45rem 0.5rem; border-bottom: 1px solid var(--line); }
tr.current td { font-weight: 600; }
.this-device { color: var(--muted); font-style: italic; }
.role { font-size: 0.75rem; font-weight: 600; padding: 0.1rem 0.5rem; border-radius: 1em; border: 1px solid var(--line); color: var(--muted); vertical-align: middle; }
.role-admin { border-color: var(--accent); color: var(--accent); }
footer { max-width: 54rem; margin: 0 auto; padding: 0 1.5rem 2rem; color: var(--muted); font-size: 0.88rem; }
`
