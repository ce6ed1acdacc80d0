/**
 * The platform's server-rendered pages (the sign-in and consent page, its errors) in the web app's
 * look: the same colour tokens as web/src/styles.css (a test keeps them equal), the same header and
 * buttons, inline because these pages allow no other style source.
 */
export const PAGE_TOKENS = {
  '--text': '#0f172a',
  '--muted': '#475569',
  '--surface': '#f8fafc',
  '--border': '#e2e8f0',
  '--border-strong': '#cbd5e1',
  '--accent': '#4338ca',
  '--accent-strong': '#3730a3',
  '--focus': '#2563eb',
  '--danger': '#b91c1c',
  '--danger-soft': '#fef2f2',
} as const;

const STYLE = `:root{${Object.entries(PAGE_TOKENS)
  .map(([name, value]) => `${name}:${value}`)
  .join(';')}}
*{box-sizing:border-box}body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;line-height:1.6;color:var(--text);background:var(--surface)}
header{background:#fff;border-bottom:1px solid var(--border)}header div{max-width:72rem;margin:0 auto;padding:0 1.5rem;height:60px;display:flex;align-items:center}
.brand{display:inline-flex;align-items:center;gap:.5rem;font-weight:700;font-size:1.125rem;color:var(--text);text-decoration:none}
.brand-mark{display:inline-grid;place-items:center;width:28px;height:28px;border-radius:7px;background:var(--accent);color:#fff;font-size:.95rem}
main{max-width:26rem;margin:3rem auto;padding:2rem;background:#fff;border:1px solid var(--border);border-radius:8px}
h1{font-size:1.4rem;line-height:1.3;margin:0 0 1rem}p,ul{margin:0 0 1rem}code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.9em}
label{display:block;font-weight:600;font-size:.9375rem;margin:1rem 0 .3rem}
input{width:100%;font:inherit;padding:.55rem .7rem;border:1px solid var(--border-strong);border-radius:6px;color:var(--text)}
:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
.error{color:var(--danger);background:var(--danger-soft);border-radius:6px;padding:.6rem .8rem}
.buttons{margin-top:1.5rem;display:flex;gap:.6rem}
button{font:inherit;font-weight:600;font-size:.9375rem;padding:.55rem 1rem;border-radius:6px;border:1px solid var(--border-strong);background:#fff;color:var(--text);cursor:pointer}
button.primary{background:var(--accent);border-color:var(--accent);color:#fff}button.primary:hover{background:var(--accent-strong)}
.muted{color:var(--muted);font-size:.9375rem}`;

export const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

/** A whole page: `title` is text (escaped here), `body` is HTML its caller has escaped. */
export const htmlPage = (title: string, body: string): string => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Portico</title><style>${STYLE}</style></head>
<body><header><div><a class="brand" href="/"><span class="brand-mark" aria-hidden="true">P</span>Portico</a></div></header>
<main>${body}</main></body></html>`;
