// Node twin: an Express-shaped app on node's own http module (no npm install), vulnerable or
// fixed (TWIN_MODE). It touches only TWIN_DATA.
'use strict';
const http = require('http');
const fs = require('fs');
const path = require('path');
const { exec, execFile } = require('child_process');

const VULNERABLE = (process.env.TWIN_MODE || 'vulnerable') === 'vulnerable';
const FILES = path.join(path.resolve(process.env.TWIN_DATA), 'files');
fs.mkdirSync(FILES, { recursive: true });
fs.writeFileSync(path.join(FILES, 'readme.txt'), 'hello from the node twin\n');
const USERS = [{ username: 'alice', role: 'admin' }, { username: 'bob', role: 'user' }];

// --- a tiny Express-like router -------------------------------------------------------------
function miniExpress() {
  const routes = [];
  const app = (req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    req.query = Object.fromEntries(url.searchParams);
    req.cookies = Object.fromEntries((req.headers.cookie || '').split(';').filter(Boolean)
      .map((c) => { const i = c.indexOf('='); return [c.slice(0, i).trim(), decodeURIComponent(c.slice(i + 1).trim())]; }));
    req.get = (name) => req.headers[name.toLowerCase()];
    const safety = VULNERABLE ? {} : { 'Content-Security-Policy': "default-src 'self'", 'X-Content-Type-Options': 'nosniff', 'X-Frame-Options': 'DENY' };
    res.send = (status, body, type) => { res.writeHead(status, { 'Content-Type': type || 'text/html', ...safety }); res.end(body); };
    res.redirect = (to) => { res.writeHead(302, { Location: to }); res.end(); };
    let raw = '';
    req.on('data', (d) => { raw += d; });
    req.on('end', () => {
      const type = req.headers['content-type'] || '';
      try {
        req.body = type.includes('json') ? JSON.parse(raw || '{}') : Object.fromEntries(new URLSearchParams(raw));
      } catch (e) { req.body = {}; }
      const route = routes.find((r) => r.method === req.method && r.path === url.pathname);
      if (!route) return res.send(404, 'not found', 'text/plain');
      try { route.handler(req, res); } catch (e) { res.send(500, 'error', 'text/plain'); }
    });
  };
  app.get = (p, handler) => routes.push({ method: 'GET', path: p, handler });
  app.post = (p, handler) => routes.push({ method: 'POST', path: p, handler });
  app.use = () => {};
  return app;
}
const bodyParser = { json: () => null, urlencoded: () => null };
const escapeHtml = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const app = miniExpress();
app.use(bodyParser.json());
app.use(bodyParser.urlencoded());

app.get('/greet', (req, res) => {
  const who = req.query.who || 'world';
  res.send(200, `<html><body>Hi ${VULNERABLE ? who : escapeHtml(who)}</body></html>`);
});

app.get('/lookup', (req, res) => {
  const { domain } = req.query;
  if (VULNERABLE) {
    exec(`echo resolving ${domain}`, { timeout: 5000 }, (err, out) => res.send(200, out || '', 'text/plain'));
  } else {
    execFile('echo', ['resolving', String(domain)], { timeout: 5000 }, (err, out) => res.send(200, out || '', 'text/plain'));
  }
});

app.post('/compute', (req, res) => {
  const formula = req.body.formula;
  if (VULNERABLE) {
    let result;
    try { result = String(eval(formula)); } catch (e) { result = 'bad formula'; }
    return res.send(200, result, 'text/plain');
  }
  const n = Number(formula);
  res.send(200, Number.isFinite(n) ? String(n) : 'bad formula', 'text/plain');
});

app.get('/exit', (req, res) => {
  const to = req.get('X-Return-Url') || '/';
  if (VULNERABLE || (to.startsWith('/') && !to.startsWith('//') && !to.includes('\\'))) return res.redirect(to);
  res.redirect('/');
});

app.get('/template', (req, res) => {
  const name = req.cookies.layout || 'readme.txt';
  const full = path.join(FILES, name);
  if (!VULNERABLE && !path.resolve(full).startsWith(FILES + path.sep)) return res.send(404, 'no', 'text/plain');
  fs.readFile(full, 'utf8', (err, text) => res.send(err ? 404 : 200, err ? 'not found' : text, 'text/plain'));
});

app.post('/webhook', (req, res) => {
  const target = req.body.target;
  if (!VULNERABLE) return res.send(400, 'disabled', 'text/plain');
  http.get(target, (r) => { r.resume(); res.send(200, 'sent', 'text/plain'); })
    .on('error', () => res.send(200, 'failed', 'text/plain'));
});

app.post('/api/find', (req, res) => {
  const username = req.body.username;
  if (!VULNERABLE && typeof username !== 'string') return res.send(400, '{"error":"string only"}', 'application/json');
  const found = USERS.filter((u) => (typeof username === 'object' && username !== null
    ? ('$ne' in username ? u.username !== username.$ne : u.username === username.$eq)
    : u.username === username));
  res.send(200, JSON.stringify(found), 'application/json');
});

http.createServer(app).listen(Number(process.argv[2]), '127.0.0.1');
