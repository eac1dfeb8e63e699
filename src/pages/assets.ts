// The page's CSS and script are served from code, not from a folder, so the core and the edge Worker
// serve the same bytes without a file system. The CSP forbids inline script and style. An isolated
// left-to-right piece (a time range, a phone, a reference) never breaks across lines: broken inside a
// right-to-left line, its halves would read in the wrong order.

export const styleCss = `
:root{--ink:#1b1f24;--muted:#4f5863;--accent:#0b5cad;--accent-ink:#fff;--error:#b3261e;--ok:#1e6b36;--line:#c3c9d0;--field-line:#6b7480;--focus:#8a4b00;--bg:#f6f7f9;--card:#fff;font-family:system-ui,-apple-system,"Segoe UI",Arial,"Noto Sans Hebrew","Noto Sans Arabic",Tahoma,sans-serif;font-size:100%;line-height:1.55;color:var(--ink);background:var(--bg)}
*{box-sizing:border-box}
body{margin:0}
span[dir=ltr]{white-space:nowrap}
.skip{position:absolute;inset-inline-start:-9999px}
.skip:focus{inset-inline-start:1rem;top:1rem;background:var(--card);padding:.5rem 1rem;z-index:10}
header.site{background:var(--accent);color:var(--accent-ink);padding:.75rem 1rem;display:flex;flex-wrap:wrap;gap:.5rem 1rem;justify-content:space-between;align-items:center}
nav.languages ul{display:flex;gap:.25rem 1rem;list-style:none;margin:0;padding:0}
nav.languages a{display:inline-block;padding:.25rem 0}
nav.languages a[aria-current]{font-weight:700;text-decoration:none}
header.site a{color:inherit}
.brand{display:flex;align-items:center;gap:.6rem;font-weight:700}.brand img{height:2.5rem;width:auto;background:#fff;border-radius:.25rem;padding:.15rem}
main{max-width:44rem;margin:0 auto;padding:1rem}
.card{background:var(--card);border:1px solid var(--line);border-radius:.5rem;padding:1rem 1.25rem;margin-block:1rem}
h1{font-size:1.6rem;line-height:1.3;margin-block:.5rem 1rem}
h2{font-size:1.25rem}
.field{margin-block:1.1rem}
label,legend{font-weight:600;display:block;margin-block-end:.25rem}
legend{padding-inline:0}
.hint{color:var(--muted);font-size:.95rem;margin-block:.1rem .35rem}
input[type=text],input[type=email],input[type=tel],select,textarea{width:100%;font:inherit;padding:.6rem .7rem;border:2px solid var(--field-line);border-radius:.4rem;background:#fff;color:var(--ink)}
input[type=email],input[type=tel]{direction:ltr;text-align:left}
html[dir=rtl] input[type=email],html[dir=rtl] input[type=tel]{text-align:right}
textarea{min-height:8rem;resize:vertical}
input:focus,select:focus,textarea:focus,button:focus,a:focus,.error-summary:focus{outline:3px solid var(--focus);outline-offset:2px}
header.site a:focus{outline-color:var(--accent-ink)}
input[aria-invalid=true],select[aria-invalid=true],textarea[aria-invalid=true]{border-color:var(--error)}
input[type=checkbox],input[type=radio]{accent-color:var(--accent)}
input[type=checkbox][aria-invalid=true],input[type=radio][aria-invalid=true]{outline:2px solid var(--error);outline-offset:2px}
input[aria-invalid=true]:focus,select[aria-invalid=true]:focus,textarea[aria-invalid=true]:focus{outline:3px solid var(--focus)}
fieldset[aria-invalid=true]{border:2px solid var(--error)}
.error{color:var(--error);font-weight:600;margin-block:.2rem}
fieldset{border:1px solid var(--line);border-radius:.4rem;padding:.75rem 1rem;margin-block:1.1rem}
.choice{display:flex;gap:.6rem;align-items:flex-start;margin-block:.45rem}
.choice input{width:1.35rem;height:1.35rem;margin:.15rem 0 0;flex:none}
.choice label{font-weight:400;margin:0}
.error-summary{border:3px solid var(--error);border-radius:.4rem;padding:.75rem 1rem;background:#fff}
.error-summary h2{margin-top:0;color:var(--error)}
.error-summary a{color:var(--error)}
.notice{border-inline-start:4px solid var(--accent);background:#eef4fb;padding:.6rem .9rem;margin-block:1rem}
button,.button{font:inherit;font-weight:700;background:var(--accent);color:var(--accent-ink);border:0;border-radius:.4rem;padding:.75rem 1.4rem;cursor:pointer;text-decoration:none;display:inline-block}
button.outline{background:#fff;color:var(--accent);border:2px solid var(--accent);padding:.65rem 1.3rem}
.save-later{margin-block:1.25rem 0;padding-block-start:1rem;border-top:1px solid var(--line)}
button.secondary{background:transparent;color:var(--accent);text-decoration:underline;padding:.2rem}
form.nav{display:inline}button.link{background:none;color:inherit;font-weight:inherit;text-decoration:underline;padding:0}
.providers{display:flex;flex-direction:column;gap:.75rem;max-width:22rem;margin-block:1.5rem}.providers .button{text-align:center}
.reference{font-size:2rem;font-weight:800;letter-spacing:.12em;direction:ltr;display:inline-block;background:#eef4fb;padding:.25rem .75rem;border-radius:.4rem}
.hp{position:absolute;inset-inline-start:-10000px;width:1px;height:1px;overflow:hidden}
.meetings li{margin-block:.35rem}
table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid var(--line);padding:.4rem;text-align:start;vertical-align:top;overflow-wrap:anywhere}
main.wide{max-width:72rem}
dl{display:grid;grid-template-columns:minmax(0,1fr);gap:.35rem 1rem}dt{font-weight:700}dd{margin:0;overflow-wrap:anywhere}
.pre{white-space:pre-wrap}
.counts{display:flex;flex-wrap:wrap;gap:.5rem 1.25rem;list-style:none;padding:0}
.filters{display:flex;flex-wrap:wrap;gap:0 1rem;align-items:flex-end}.filters .field{min-width:12rem}
.filters .checks{display:flex;flex-direction:column;gap:.25rem}.filter-note{flex-basis:100%;margin:.5rem 0 0}
.board{display:grid;gap:1rem;grid-template-columns:repeat(auto-fill,minmax(15rem,1fr));align-items:start;margin-block:1rem}
.column{background:#eef1f4;border:1px solid var(--line);border-radius:.5rem;padding:.75rem;min-width:0}
.column h2{font-size:1.1rem;margin:0 0 .5rem}.column .count{color:var(--muted);font-weight:400}
ul.cards{list-style:none;margin:0;padding:0;display:grid;gap:.5rem;max-height:36rem;overflow-y:auto}
.board-card{background:var(--card);border:1px solid var(--line);border-radius:.4rem;padding:.5rem .65rem;overflow-wrap:anywhere}
.card-name{font-weight:700}.card-ref{display:block;color:var(--muted);font-size:.9rem}.card-meta{margin:.15rem 0;font-size:.95rem}
ul.badges{list-style:none;margin:.35rem 0 0;padding:0;display:flex;flex-wrap:wrap;gap:.25rem}
.badge{border-radius:1rem;padding:.05rem .55rem;font-size:.85rem;background:#e6e9ed;color:var(--ink)}
.badge.warn{background:#fff1cc;color:#5c3c00}.badge.error{background:#fbe4e2;color:var(--error)}
.empty{color:var(--muted)}.more{margin:.5rem 0 0}.table-scroll{max-width:100%;overflow-x:auto}
form.inline{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin-block:.5rem}form.inline label{margin:0}
form.stacked{display:grid;gap:.5rem;max-width:32rem;margin-block:1rem}form.stacked textarea{min-height:4rem}
label.check{display:flex;gap:.5rem;align-items:center;font-weight:400}label.check input{width:auto}
header.site nav a{color:inherit}
ul.contact{list-style:none;padding:0}
footer.site{max-width:44rem;margin:0 auto;padding:1rem;border-top:1px solid var(--line);color:var(--muted)}
footer.site ul{display:flex;flex-wrap:wrap;gap:.25rem 1.5rem;list-style:none;margin:0;padding:0}
footer.site a{color:var(--accent)}
@media (min-width:40rem){main{padding:2rem}dl{grid-template-columns:max-content 1fr}}
`;

/** The site's icon: the network's accent colour with a white "k", legible at 16 pixels. */
export const faviconSvg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#0b5cad"/><path d="M10 6h4v10.5L20.5 10H26l-7.2 7.1L26.5 26h-5.3l-5.4-6.4-1.8 1.8V26h-4z" fill="#fff"/></svg>`;

export const formJs = `
(function () {
  'use strict';
  var summary = document.querySelector('.error-summary');
  if (summary) summary.focus();
  var done = document.body.getAttribute('data-clear-draft');
  if (done) { try { localStorage.removeItem('kehila-draft:' + done); } catch (e) {} return; }
  var form = document.querySelector('form[data-draft]');
  if (!form) return;
  var key = 'kehila-draft:' + form.getAttribute('data-draft');
  // The language is the page's, not the draft's: a draft restored on another language's page must post that page's.
  var skip = { website: 1, formToken: 1, lang: 1, intent: 1 };
  function save() {
    var data = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || skip[el.name]) return;
      if (el.type === 'checkbox') { (data[el.name] = data[el.name] || []); if (el.checked) data[el.name].push(el.value); }
      else data[el.name] = el.value;
    });
    try { localStorage.setItem(key, JSON.stringify(data)); } catch (e) {}
  }
  function restore(data) {
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || skip[el.name] || !(el.name in data)) return;
      var v = data[el.name];
      if (el.type === 'checkbox') el.checked = Array.isArray(v) && v.indexOf(el.value) !== -1;
      else if (typeof v === 'string') el.value = v;
    });
  }
  // The server's values win: after a failed submission they are what the person just sent.
  if (form.getAttribute('data-has-values') !== 'true') {
    var saved = null;
    try { saved = JSON.parse(localStorage.getItem(key) || 'null'); } catch (e) {}
    if (saved && typeof saved === 'object') {
      restore(saved);
      var note = document.getElementById('draft-note');
      if (note) {
        note.hidden = false;
        var clear = note.querySelector('button');
        if (clear) clear.addEventListener('click', function () {
          try { localStorage.removeItem(key); } catch (e) {}
          form.reset(); note.hidden = true; form.elements[0].focus();
        });
      }
    }
  }
  // A draft opened from its e-mailed link wins over this browser's older copy, and becomes the copy.
  if (form.getAttribute('data-restored') === 'true') save();
  form.addEventListener('input', save);
  form.addEventListener('change', save);
})();
`;
