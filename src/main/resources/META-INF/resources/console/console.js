// The Offload console: every page is drawn from the JSON API, called with the signed-in caller's bearer token.
// The server decides what a caller sees; the console only shows what the API answered. No framework, no build:
// the DOM is built with h() (never innerHTML), so no text from the API is ever read as markup.

const API = '/api/v1';
const main = document.getElementById('main');

// ---- session ------------------------------------------------------------------------------------------------

const session = {
  get token() { return sessionStorage.getItem('offload.token'); },
  set(token) { sessionStorage.setItem('offload.token', token); },
  clear() { sessionStorage.removeItem('offload.token'); },
  claims() {
    const token = this.token;
    if (!token) return null;
    try {
      const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
      return JSON.parse(atob(part.padEnd(part.length + (4 - part.length % 4) % 4, '=')));
    } catch { return null; }
  },
  // What the token says, for showing the right links only: the API checks every call itself.
  get user() { const c = this.claims(); return c ? (c.upn || c.sub) : null; },
  get groups() { const c = this.claims(); return c && Array.isArray(c.groups) ? c.groups : []; },
  get admin() { return this.groups.includes('admin'); },
};

// ---- DOM ----------------------------------------------------------------------------------------------------

function h(tag, attrs, ...children) {
  const svg = ['svg', 'g', 'rect', 'text', 'path', 'polyline', 'circle', 'line', 'defs', 'marker', 'title', 'tspan'];
  const el = svg.includes(tag) && (tag !== 'title' || attrs?.svg)
    ? document.createElementNS('http://www.w3.org/2000/svg', tag) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false || k === 'svg') continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'text') el.textContent = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** replaceChildren and append, skipping the null, undefined and false that conditional children leave. */
const kids = (children) => children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false);
const put = (el, ...children) => el.replaceChildren(...kids(children));
const add = (el, ...children) => el.append(...kids(children));

let ids = 0;
const uid = (prefix) => `${prefix}-${++ids}`;

/** A labelled control with its hint and its error line, which problem+json errors fill. */
function field(label, control, hint) {
  control.id ||= uid('f');
  const error = h('p', { class: 'error', id: `${control.id}-error`, role: 'alert' });
  const described = [hint ? `${control.id}-hint` : null, error.id].filter(Boolean).join(' ');
  control.setAttribute('aria-describedby', described);
  return h('div', { class: 'field' }, h('label', { for: control.id }, label), control,
    hint ? h('p', { class: 'hint', id: `${control.id}-hint` }, hint) : null, error);
}

function errorLine() { return h('p', { class: 'error', role: 'alert' }); }

function clearErrors(form) {
  form.querySelectorAll('.error').forEach((e) => { e.textContent = ''; });
  form.querySelectorAll('[aria-invalid]').forEach((e) => e.removeAttribute('aria-invalid'));
}

/**
 * Shows a problem next to the control it names: each errors[] entry goes to the control whose data-field matches
 * its field; what names no control goes to {@code fallback} (the line next to the button that sent it).
 */
function showProblem(err, form, fallback) {
  const problem = err.problem || {};
  const rest = [];
  for (const e of problem.errors || []) {
    const control = form && [...form.querySelectorAll('[data-field]')].find((c) => c.dataset.field === e.field);
    if (control) {
      control.setAttribute('aria-invalid', 'true');
      document.getElementById(`${control.id}-error`).textContent = e.message;
    } else {
      rest.push(`${e.field}: ${e.message}`);
    }
  }
  const text = [problem.detail || problem.title || err.message, ...rest].filter(Boolean).join(' — ');
  if (fallback) fallback.textContent = text;
  const first = form && form.querySelector('[aria-invalid="true"]');
  if (first) first.focus();
}

// ---- API ----------------------------------------------------------------------------------------------------

class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

async function api(path, { method = 'GET', body, form, signal, raw } = {}) {
  const headers = { Accept: raw ? '*/*' : 'application/json' };
  if (session.token) headers.Authorization = `Bearer ${session.token}`;
  let payload;
  if (form) payload = form;
  else if (body !== undefined) { headers['Content-Type'] = 'application/json'; payload = JSON.stringify(body); }
  const response = await fetch(path, { method, headers, body: payload, signal });
  if (response.status === 401 && path.startsWith(API)) {
    session.clear();
    go('#/sign-in', { reason: 'Your token was refused (missing, invalid or expired): sign in again.' });
    throw new ApiError(401, { title: 'Unauthorized', detail: 'sign in again' });
  }
  if (!response.ok) {
    let problem = {};
    try { problem = await response.json(); } catch { problem = { title: response.statusText }; }
    throw new ApiError(response.status, problem);
  }
  if (raw) return response;
  return response.status === 204 ? null : response.json();
}

const q = (params) => {
  const s = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== ''));
  return s.toString() ? `?${s}` : '';
};

/** Follows a job's server-sent events (fetch, as EventSource cannot send a bearer token) until it ends. */
async function follow(jobId, onEvent, signal) {
  try {
    const response = await fetch(`${API}/jobs/${jobId}/events`, {
      headers: { Accept: 'text/event-stream', Authorization: `Bearer ${session.token}` }, signal,
    });
    if (!response.ok) return;
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value.replace(/\r\n/g, '\n');
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = block.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trim()).join('\n');
        if (data) onEvent(JSON.parse(data));
      }
    }
  } catch (e) {
    if (e.name !== 'AbortError') console.warn('event stream ended', e.message);
  }
}

/** Downloads a result through fetch (the token goes in a header), under the name the server gives it. */
async function download(path, errorEl) {
  errorEl.textContent = '';
  try {
    const response = await api(path, { raw: true });
    const disposition = response.headers.get('Content-Disposition') || '';
    const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
    const plain = /filename="?([^";]+)"?/i.exec(disposition);
    const name = star ? decodeURIComponent(star[1]) : plain ? plain[1] : 'download';
    const url = URL.createObjectURL(await response.blob());
    const a = h('a', { href: url, download: name, hidden: true });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  } catch (e) {
    showProblem(e, null, errorEl);
  }
}

// ---- shared pieces ------------------------------------------------------------------------------------------

let workflowsCache = null;
async function workflows() {
  workflowsCache ||= await api(`${API}/workflows`);
  return workflowsCache;
}
const workflowOf = (all, kind) => all.find((w) => w.kind === kind);

function stateBadge(state, workflow) {
  let cls = 'badge';
  if (workflow && workflow.final_states.includes(state)) {
    cls += /error|cancel/.test(state) ? ' final-bad' : ' final-good';
  } else if (workflow && state !== workflow.initial) cls += ' active';
  return h('span', { class: cls, 'data-state': state }, state);
}

function percentOf(p, state, workflow) {
  if (p && p.percent !== null && p.percent !== undefined) return p.percent;
  if (p && p.total > 0) return Math.min(100, Math.floor(p.done * 100 / p.total));
  if (workflow && workflow.final_states.includes(state) && !/error|cancel/.test(state)) return 100;
  return null;
}

/** A labelled progress bar whose value the job's events update. */
function progressBar(label) {
  const bar = h('progress', { max: 100, 'aria-label': label });
  const pct = h('span', { class: 'pct' });
  const set = (percent) => {
    if (percent === null || percent === undefined) { bar.removeAttribute('value'); pct.textContent = ''; return; }
    bar.value = percent;
    pct.textContent = `${percent} %`;
  };
  return { el: h('span', { class: 'progress' }, bar, ' ', pct), set };
}

function when(iso) {
  if (!iso) return '—';
  return h('time', { datetime: iso, title: iso }, new Date(iso).toISOString().replace('T', ' ').slice(0, 19) + ' UTC');
}

function age(iso) {
  const s = Math.max(0, Math.round((Date.now() - new Date(iso).getTime()) / 1000));
  const text = s < 60 ? `${s} s` : s < 3600 ? `${Math.floor(s / 60)} min` : s < 86400 ? `${Math.floor(s / 3600)} h`
    : `${Math.floor(s / 86400)} d`;
  return h('time', { datetime: iso, title: iso }, text);
}

const shortId = (id) => id.slice(0, 8);

function bytes(n) {
  if (n === null || n === undefined) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return `${i ? v.toFixed(1) : v} ${units[i]}`;
}

function pageTitle(text) {
  document.title = `${text} · Offload console`;
  return h('h1', { tabindex: -1 }, text);
}

function notFound(what) {
  put(main, pageTitle('Not found'),
    h('p', { 'data-testid': 'not-found' }, `${what} does not exist, or it is not yours to see.`),
    h('p', {}, h('a', { href: '#/jobs' }, 'Back to the jobs')));
}

// ---- sign-in ------------------------------------------------------------------------------------------------

async function signInPage(view, params) {
  const options = await fetch('/console/sign-in', { headers: { Accept: 'application/json' }, signal: view.signal })
    .then((r) => r.json());
  const forms = [];
  if (options.dev_sign_in) {
    const user = h('input', { type: 'text', name: 'user', 'data-field': 'user', autocomplete: 'username', required: true });
    const groups = h('input', { type: 'text', name: 'groups', 'data-field': 'groups' });
    const error = errorLine();
    const form = h('form', { class: 'card', id: 'dev-sign-in', 'aria-labelledby': 'dev-sign-in-title' },
      h('h2', { id: 'dev-sign-in-title' }, 'Development sign-in'),
      h('p', { class: 'hint' }, 'This profile signs a token for any user name with the development key (never in prod).'),
      field('User name', user), field('Groups', groups, 'Comma-separated, e.g. admin or student.'),
      h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Sign in'), error));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      clearErrors(form);
      try {
        const answer = await api('/console/dev-token', { method: 'POST', body: { user: user.value, groups: groups.value } });
        session.set(answer.token);
        go('#/jobs');
      } catch (e) { showProblem(e, form, error); }
    });
    forms.push(form);
  }
  const token = h('textarea', { name: 'token', 'data-field': 'token', spellcheck: 'false', autocomplete: 'off', required: true });
  const error = errorLine();
  const form = h('form', { class: 'card', id: 'token-sign-in', 'aria-labelledby': 'token-sign-in-title' },
    h('h2', { id: 'token-sign-in-title' }, 'Sign in with a token'),
    field('Bearer token', token, 'A JWT your identity provider issued for this service; it stays in this tab only.'),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Sign in'), error));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const value = token.value.trim().replace(/^Bearer\s+/i, '');
    const probe = await fetch(`${API}/workflows`, { headers: { Authorization: `Bearer ${value}` } });
    if (probe.ok) { session.set(value); go('#/jobs'); return; }
    token.setAttribute('aria-invalid', 'true');
    document.getElementById(`${token.id}-error`).textContent = 'This token was refused: it is invalid, expired or for another service.';
    token.focus();
  });
  forms.push(form);
  put(main, pageTitle('Sign in'), params.reason ? h('p', { class: 'notice' }, params.reason) : null, ...forms);
}

// ---- jobs ---------------------------------------------------------------------------------------------------

const MAX_STREAMS = 4; // a browser opens 6 connections per host over HTTP/1.1: keep two for the API calls

async function jobsPage(view, params) {
  const all = await workflows();
  const kind = params.kind || '';
  const state = params.state || '';
  const page = Number(params.page || 0);
  const kindSelect = h('select', { name: 'kind', 'data-field': 'kind' },
    h('option', { value: '' }, 'any kind'), all.map((w) => h('option', { value: w.kind, selected: w.kind === kind }, w.kind)));
  const states = [...new Set((kind ? [workflowOf(all, kind)] : all).filter(Boolean).flatMap((w) => w.states))];
  const stateSelect = h('select', { name: 'state', 'data-field': 'state' },
    h('option', { value: '' }, 'any state'), states.map((s) => h('option', { value: s, selected: s === state }, s)));
  kindSelect.addEventListener('change', () => { stateSelect.value = ''; });
  const filters = h('form', { class: 'card', id: 'job-filters', role: 'search', 'aria-label': 'Filter jobs' },
    h('div', { class: 'row' }, field('Kind', kindSelect), field('State', stateSelect),
      h('button', { type: 'submit' }, 'Show')));
  filters.addEventListener('submit', (ev) => {
    ev.preventDefault();
    go(`#/jobs${q({ kind: kindSelect.value, state: stateSelect.value })}`);
  });
  const error = errorLine();
  put(main, pageTitle(session.admin ? 'Jobs (everyone’s)' : 'Your jobs'), filters, error);
  let list;
  try {
    list = await api(`${API}/jobs${q({ kind, state, page, size: 50 })}`, { signal: view.signal });
  } catch (e) { showProblem(e, filters, error); return; }
  const rows = new Map();
  const table = h('table', { id: 'jobs' },
    h('caption', { class: 'visually-hidden' }, 'Jobs, newest first'),
    h('thead', {}, h('tr', {}, ['Job', 'Kind', 'State', 'Owner', 'Age', 'Progress'].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, list.items.map((job) => {
      const wf = workflowOf(all, job.kind);
      const bar = progressBar(`Progress of job ${shortId(job.id)}`);
      bar.set(percentOf(job.progress, job.state, wf));
      const stateCell = h('td', {}, stateBadge(job.state, wf));
      const row = h('tr', { 'data-job': job.id },
        h('td', { class: 'mono' }, h('a', { href: `#/jobs/${job.id}` }, shortId(job.id))),
        h('td', {}, job.kind), stateCell, h('td', {}, job.owner), h('td', {}, age(job.created_at)), h('td', {}, bar.el));
      rows.set(job.id, { job, wf, bar, stateCell });
      return row;
    })));
  const pager = h('div', { class: 'pager' },
    page > 0 ? h('a', { href: `#/jobs${q({ kind, state, page: page - 1 })}` }, '← Newer') : null,
    h('span', { class: 'muted' }, `Page ${page + 1}`),
    list.has_more ? h('a', { href: `#/jobs${q({ kind, state, page: page + 1 })}` }, 'Older →') : null);
  add(main, list.items.length ? table : h('p', { id: 'no-jobs' }, 'No jobs match.'), pager);

  const active = [...rows.values()].filter(({ job, wf }) => wf && !wf.final_states.includes(job.state));
  active.slice(0, MAX_STREAMS).forEach(({ job, wf, bar, stateCell }) => follow(job.id, (event) => {
    bar.set(percentOf({ done: event.done, total: event.total }, event.state, wf));
    put(stateCell, stateBadge(event.state, wf));
  }, view.signal));
  if (active.length > MAX_STREAMS) {
    // The jobs past the streamed ones are kept fresh by reading the page again.
    view.timer(setTimeout(() => { if (!view.signal.aborted) render(); }, 5000));
  }
}

function workflowDiagram(wf, current) {
  // Columns by distance from the initial state along the transitions; a state's row is its order in its column.
  const depth = new Map([[wf.initial, 0]]);
  const queue = [wf.initial];
  while (queue.length) {
    const s = queue.shift();
    for (const t of wf.transitions) {
      if (t.from.includes(s) && !depth.has(t.to)) { depth.set(t.to, depth.get(s) + 1); queue.push(t.to); }
    }
  }
  for (const s of wf.states) if (!depth.has(s)) depth.set(s, 0);
  const columns = [];
  for (const s of wf.states) (columns[depth.get(s)] ||= []).push(s);
  const W = 120; const H = 34; const GX = 90; const GY = 34; const PAD = 30;
  const pos = new Map();
  columns.forEach((col, c) => col.forEach((s, r) => pos.set(s, { x: PAD + c * (W + GX), y: PAD + r * (H + GY) })));
  const width = PAD * 2 + columns.length * (W + GX) - GX;
  const height = PAD * 2 + Math.max(...columns.map((c) => c.length)) * (H + GY) - GY + 30;
  const edges = [];
  for (const t of wf.transitions) {
    for (const from of t.from) {
      const a = pos.get(from); const b = pos.get(t.to);
      if (!a || !b) continue;
      let d; let lx; let ly; let anchor = 'middle';
      if (b.x > a.x) {
        const x1 = a.x + W; const y1 = a.y + H / 2; const x2 = b.x; const y2 = b.y + H / 2;
        d = `M${x1},${y1} C${x1 + GX / 2},${y1} ${x2 - GX / 2},${y2} ${x2},${y2}`;
        lx = (x1 + x2) / 2; ly = (y1 + y2) / 2 - 4;
      } else if (b.x === a.x) {
        // Within a column: straight down (or up), labelled beside.
        const down = b.y > a.y;
        const x = a.x + W / 2; const y1 = down ? a.y + H : a.y; const y2 = down ? b.y : b.y + H;
        d = `M${x},${y1} L${x},${y2}`;
        lx = x + 5; ly = (y1 + y2) / 2 + 4; anchor = 'start';
      } else {
        // Backwards (a retry): an arc above the boxes.
        const x1 = a.x + W / 2; const y1 = a.y; const x2 = b.x + W / 2; const y2 = b.y;
        const high = Math.min(y1, y2) - 26;
        d = `M${x1},${y1} C${x1},${high} ${x2},${high} ${x2},${y2}`;
        lx = (x1 + x2) / 2; ly = high + 4;
      }
      edges.push(h('g', { class: 'edge', 'data-transition': t.name },
        h('path', { d, 'marker-end': 'url(#arrow)' }), h('text', { x: lx, y: ly, 'text-anchor': anchor }, t.name)));
    }
  }
  const boxes = wf.states.map((s) => {
    const p = pos.get(s);
    const cls = ['state', wf.final_states.includes(s) ? 'final' : '', s === current ? 'current' : ''].join(' ').trim();
    return h('g', { class: cls, 'data-state': s },
      h('rect', { x: p.x, y: p.y, width: W, height: H, rx: 8 }),
      h('text', { x: p.x + W / 2, y: p.y + H / 2 + 4, 'text-anchor': 'middle' }, s));
  });
  return h('svg', { class: 'workflow', viewBox: `0 0 ${width} ${height}`, width, role: 'img',
    'aria-label': `The ${wf.kind} workflow; the job is in ${current}` },
  h('defs', {}, h('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
    h('path', { class: 'arrowhead', d: 'M0,0 L10,5 L0,10 z' }))),
  edges, boxes);
}

async function jobPage(view, id) {
  let job;
  try {
    job = await api(`${API}/jobs/${encodeURIComponent(id)}`, { signal: view.signal });
  } catch (e) {
    if (e.status === 404 || e.status === 400) { notFound(`Job ${id}`); return; }
    throw e;
  }
  const wf = workflowOf(await workflows(), job.kind);
  const bar = progressBar('Progress');
  const stateEl = h('span', { id: 'job-state' });
  const facts = h('dl', { class: 'facts' });
  const actions = h('div', { class: 'actions', id: 'job-actions' });
  const actionError = h('p', { class: 'error', role: 'alert', id: 'job-action-error' });
  const timeline = h('ol', { class: 'timeline', id: 'timeline' });
  const diagram = h('div', { id: 'diagram' });

  const draw = async () => {
    const log = await api(`${API}/jobs/${job.id}/transitions`, { signal: view.signal });
    put(stateEl, stateBadge(job.state, wf));
    bar.set(percentOf(job.progress, job.state, wf));
    put(facts, 
      h('dt', {}, 'Kind'), h('dd', {}, job.kind), h('dt', {}, 'State'), h('dd', {}, stateEl),
      h('dt', {}, 'Owner'), h('dd', {}, job.owner), h('dt', {}, 'Attempt'), h('dd', {}, `${job.attempt} of ${job.max_attempts}`),
      h('dt', {}, 'Created'), h('dd', {}, when(job.created_at)), h('dt', {}, 'Started'), h('dd', {}, when(job.started_at)),
      h('dt', {}, 'Finished'), h('dd', {}, when(job.finished_at)),
      job.error ? [h('dt', {}, 'Error'), h('dd', { id: 'job-error' }, `${job.error.message || ''} (${job.error.type || 'error'})`)] : null);
    put(actions, 
      ...job.available_transitions.map((t) => h('button', {
        type: 'button', class: t === 'cancel' ? 'danger' : '', 'data-transition': t,
        onclick: () => transition(t),
      }, t.charAt(0).toUpperCase() + t.slice(1))),
      job.has_result ? h('button', { type: 'button', class: 'secondary', id: 'download',
        onclick: () => download(`${API}/jobs/${job.id}/result`, actionError) }, 'Download result') : null,
      actionError);
    put(timeline, ...log.map((row) => h('li', { 'data-to': row.to_state },
      h('strong', {}, row.transition), ` ${row.from_state ?? '∅'} → `, stateBadge(row.to_state, wf),
      h('div', { class: 'muted' }, when(row.at), row.actor ? ` by ${row.actor}` : ''))));
    put(diagram, wf ? workflowDiagram(wf, job.state) : h('p', {}, 'No workflow is declared for this kind.'));
  };

  const transition = async (name) => {
    actionError.textContent = '';
    actions.querySelectorAll('button').forEach((b) => { b.disabled = true; });
    try {
      job = await api(`${API}/jobs/${job.id}/${encodeURIComponent(name)}`, { method: 'POST' });
    } catch (e) {
      actions.querySelectorAll('button').forEach((b) => { b.disabled = false; });
      showProblem(e, null, actionError);
      return;
    }
    await draw();
  };

  put(main, pageTitle(`Job ${shortId(job.id)}`),
    h('p', { class: 'mono muted' }, job.id),
    h('section', { class: 'card' }, facts, h('div', { class: 'big' }, h('p', {}, bar.el)), actions),
    h('div', { class: 'columns' },
      h('section', { class: 'card', 'aria-labelledby': 'timeline-title' }, h('h2', { id: 'timeline-title' }, 'Timeline'), timeline),
      h('section', { class: 'card', 'aria-labelledby': 'diagram-title' }, h('h2', { id: 'diagram-title' }, 'Workflow'), diagram)));
  await draw();
  if (wf && !wf.final_states.includes(job.state)) {
    let shown = job.state;
    follow(job.id, async (event) => {
      job.progress = { done: event.done, total: event.total, percent: null };
      bar.set(percentOf(job.progress, event.state, wf));
      if (event.state !== shown) {
        shown = event.state;
        try {
          job = await api(`${API}/jobs/${job.id}`, { signal: view.signal });
          await draw();
        } catch (e) { if (e.name !== 'AbortError') showProblem(e, null, actionError); }
      }
    }, view.signal);
  }
}

// ---- reports ------------------------------------------------------------------------------------------------

function optionControl(name, schema) {
  const dataField = `generator_options.${name}`;
  if (Array.isArray(schema.enum)) {
    return h('select', { name, 'data-field': dataField },
      schema.enum.map((v) => h('option', { value: v, selected: v === schema.default }, v)));
  }
  const placeholder = schema.format === 'date-time' ? (schema.examples || []).join(' or ') : '';
  return h('input', { type: 'text', name, 'data-field': dataField, placeholder });
}

/** A live view of one submitted job: its state, bar and, once it has a result, a download button. */
function jobWatch(view, job, kindWf, resultPath) {
  const bar = progressBar(`Progress of ${job.id}`);
  const state = h('span', { class: 'watch-state' });
  const error = errorLine();
  const actions = h('span', { class: 'actions' });
  const box = h('div', { class: 'watch', 'data-job': job.id },
    h('p', {}, 'Job ', h('a', { href: `#/jobs/${job.id}`, class: 'mono' }, shortId(job.id)), ': ', state, ' ', bar.el), actions, error);
  const update = (st, progress) => {
    put(state, stateBadge(st, kindWf));
    bar.set(percentOf(progress, st, kindWf));
    if (kindWf && kindWf.final_states.includes(st)) {
      put(actions, /error|cancel/.test(st) ? h('span', { class: 'muted' }, 'No result.')
        : h('button', { type: 'button', class: 'secondary download', onclick: () => download(resultPath, error) }, 'Download'));
    }
  };
  update(job.state, job.progress);
  follow(job.id, (e) => update(e.state, { done: e.done, total: e.total }), view.signal);
  return box;
}

async function reportsPage(view) {
  const [generators, all] = await Promise.all([api(`${API}/reports/generators`, { signal: view.signal }), workflows()]);
  const wf = workflowOf(all, 'report');
  const forms = generators.map((g) => {
    const props = g.options_schema.properties || {};
    const controls = Object.entries(props).map(([name, schema]) =>
      field(name, optionControl(name, schema), schema.description));
    const error = errorLine();
    const status = h('div', { class: 'status', 'aria-live': 'polite' });
    const form = h('form', { class: 'card', 'data-generator': g.type, 'aria-labelledby': `gen-${g.type}` },
      h('h2', { id: `gen-${g.type}` }, g.type, g.admin_only ? h('span', { class: 'muted' }, ' (admins only)') : null),
      h('p', { class: 'hint' }, `${g.description} — ${g.extension}`),
      h('div', { class: 'grid' }, controls),
      h('div', { class: 'actions' }, h('button', { type: 'submit' }, `Start ${g.type}`), error), status);
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      clearErrors(form);
      const options = {};
      for (const name of Object.keys(props)) {
        const v = form.elements[name].value.trim();
        if (v) options[name] = v;
      }
      try {
        const report = await api(`${API}/reports`, { method: 'POST', body: { generator_type: g.type, generator_options: options } });
        status.prepend(jobWatch(view, report, wf, `${API}/reports/${report.id}/download`));
      } catch (e) { showProblem(e, form, error); }
    });
    return form;
  });
  put(main, pageTitle('Reports'), ...forms, h('h2', {}, 'Recent reports'), h('div', { id: 'recent-reports' }, 'Loading…'));
  const recent = await api(`${API}/reports${q({ size: 10 })}`, { signal: view.signal });
  const error = errorLine();
  put(document.getElementById('recent-reports'), recent.items.length ? h('table', {},
    h('thead', {}, h('tr', {}, ['Report', 'Generator', 'State', 'Created', 'File'].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, recent.items.map((r) => h('tr', {},
      h('td', { class: 'mono' }, h('a', { href: `#/jobs/${r.id}` }, shortId(r.id))), h('td', {}, r.generator_type),
      h('td', {}, stateBadge(r.state, wf)), h('td', {}, age(r.created_at)),
      h('td', {}, r.downloadable ? h('button', { type: 'button', class: 'secondary',
        onclick: () => download(`${API}/reports/${r.id}/download`, error) }, r.output_filename || 'Download') : '—'))))) : h('p', {}, 'None yet.'), error);
}

// ---- archives -----------------------------------------------------------------------------------------------

async function archivesPage(view) {
  const [backends, files, reports, archives, all] = await Promise.all([
    api(`${API}/archives/backends`, { signal: view.signal }),
    api(`${API}/files${q({ size: 100 })}`, { signal: view.signal }),
    api(`${API}/reports${q({ state: 'success', size: 100 })}`, { signal: view.signal }),
    api(`${API}/archives${q({ size: 50 })}`, { signal: view.signal }),
    workflows()]);
  const wf = workflowOf(all, 'archive');

  const fileInput = h('input', { type: 'file', name: 'file', 'data-field': 'file' });
  const uploadError = errorLine();
  const upload = h('form', { class: 'card', id: 'upload', 'aria-labelledby': 'upload-title' },
    h('h2', { id: 'upload-title' }, 'Upload a file'), field('File', fileInput),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Upload'), uploadError));
  upload.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(upload);
    if (!fileInput.files.length) { showProblem({ problem: { errors: [{ field: 'file', message: 'choose a file first' }] } }, upload, uploadError); return; }
    const body = new FormData();
    body.append('file', fileInput.files[0]);
    try { await api(`${API}/files`, { method: 'POST', form: body }); render(); } catch (e) { showProblem(e, upload, uploadError); }
  });

  const sources = [
    ...files.items.map((f) => ({ key: `file_id:${f.id}`, label: `${f.name} (upload, ${bytes(f.size)})`, path: f.name, source: { file_id: f.id } })),
    ...reports.items.filter((r) => r.downloadable).map((r) => ({ key: `report_id:${r.id}`,
      label: `${r.output_filename} (report ${shortId(r.id)})`, path: r.output_filename, source: { report_id: r.id } }))];
  const entryRows = sources.map((s, i) => {
    const check = h('input', { type: 'checkbox', id: uid('src'), 'data-key': s.key });
    const path = h('input', { type: 'text', value: s.path || '', 'aria-label': `Path in the archive for ${s.label}`, id: uid('path') });
    path.dataset.field = `entries[${i}].path`;
    return { s, check, path, el: h('div', { class: 'entry' }, check, h('label', { for: check.id }, s.label), path) };
  });
  const name = h('input', { type: 'text', name: 'name', 'data-field': 'name', required: true });
  const backend = h('select', { name: 'backend', 'data-field': 'backend' }, backends.map((b) => h('option', { value: b.id }, b.id)));
  const role = h('select', { name: 'role', 'data-field': 'role' }, h('option', { value: '' }, '(the first one you have)'),
    session.groups.map((g) => h('option', { value: g }, g)));
  const entriesError = h('p', { class: 'error', role: 'alert', id: 'entries-error' });
  const error = errorLine();
  const status = h('div', { 'aria-live': 'polite' });
  const create = h('form', { class: 'card', id: 'new-archive', 'aria-labelledby': 'new-archive-title' },
    h('h2', { id: 'new-archive-title' }, 'New archive'),
    h('fieldset', {}, h('legend', {}, 'Files and reports'),
      sources.length ? h('div', { class: 'entries' }, entryRows.map((r) => r.el)) : h('p', {}, 'Upload a file or finish a report first.'),
      entriesError),
    h('div', { class: 'grid' }, field('Name', name), field('Backend', backend), field('Role', role)),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Make archive'), error), status);
  create.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(create);
    const chosen = entryRows.filter((r) => r.check.checked);
    chosen.forEach((r, i) => { r.path.dataset.field = `entries[${i}].path`; });
    entryRows.filter((r) => !r.check.checked).forEach((r) => { delete r.path.dataset.field; });
    const body = { name: name.value.trim(), backend: backend.value,
      entries: chosen.map((r) => ({ path: r.path.value.trim(), ...r.s.source })) };
    if (role.value) body.role = role.value;
    try {
      const archive = await api(`${API}/archives`, { method: 'POST', body });
      status.prepend(jobWatch(view, archive, wf, `${API}/archives/${archive.id}/download`));
    } catch (e) {
      showProblem(e, create, error);
      const left = (e.problem?.errors || []).filter((x) => /^entries/.test(x.field) && !create.querySelector(`[data-field="${x.field}"]`));
      if (left.length) entriesError.textContent = left.map((x) => `${x.field}: ${x.message}`).join('; ');
    }
  });

  const listError = errorLine();
  const list = archives.items.length ? h('table', { id: 'archives' },
    h('thead', {}, h('tr', {}, ['Archive', 'Name', 'Backend', 'State', 'Progress', 'Size', ''].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, archives.items.map((a) => {
      const bar = progressBar(`Progress of archive ${a.name}`);
      bar.set(percentOf(a.progress, a.state, wf));
      return h('tr', {}, h('td', { class: 'mono' }, h('a', { href: `#/jobs/${a.id}` }, shortId(a.id))), h('td', {}, a.name),
        h('td', {}, a.backend), h('td', {}, stateBadge(a.state, wf)), h('td', {}, bar.el), h('td', { class: 'num' }, bytes(a.size)),
        h('td', {}, a.links.download ? h('button', { type: 'button', class: 'secondary',
          onclick: () => download(a.links.download, listError) }, 'Download') : ''));
    }))) : h('p', {}, 'No archives yet.');
  put(main, pageTitle('Archives'), upload, create, h('h2', {}, 'Your archives'), list, listError);
}

// ---- statistics ---------------------------------------------------------------------------------------------

function tree(node, path, onChart) {
  if (node !== null && typeof node === 'object') {
    const entries = Array.isArray(node) ? node.map((v, i) => [String(i), v]) : Object.entries(node);
    const leaves = entries.filter(([, v]) => v === null || typeof v !== 'object');
    const branches = entries.filter(([, v]) => v !== null && typeof v === 'object');
    return [
      leaves.length ? h('ul', { class: 'leaves' }, leaves.map(([k, v]) => {
        const key = path ? `${path}.${k}` : k;
        return h('li', { 'data-key': key }, h('span', { class: 'mono' }, k), h('strong', {}, String(v)),
          h('button', { type: 'button', class: 'secondary', 'aria-label': `Chart ${key}`, onclick: () => onChart(key) }, 'chart'));
      })) : null,
      branches.map(([k, v]) => {
        const key = path ? `${path}.${k}` : k;
        return h('details', { class: 'tree', 'data-key': key }, h('summary', { class: 'mono' }, k), tree(v, key, onChart));
      })];
  }
  return null;
}

function lineChart(points, key) {
  const W = 880; const H = 260; const L = 60; const B = 30; const T = 14; const R = 16;
  if (!points.length) return h('p', {}, `No values of ${key} in this range.`);
  const xs = points.map((p) => new Date(p.fetched_at).getTime());
  const ys = points.map((p) => Number(p.value));
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  let [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  if (y0 === y1) { y0 -= 1; y1 += 1; }
  const sx = (x) => (x1 === x0 ? L + (W - L - R) / 2 : L + (x - x0) * (W - L - R) / (x1 - x0));
  const sy = (y) => T + (y1 - y) * (H - T - B) / (y1 - y0);
  const pts = points.map((p, i) => `${sx(xs[i]).toFixed(1)},${sy(ys[i]).toFixed(1)}`).join(' ');
  return h('svg', { class: 'chart', viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': `${key} over time, ${points.length} values` },
    h('line', { x1: L, y1: T, x2: L, y2: H - B }), h('line', { x1: L, y1: H - B, x2: W - R, y2: H - B }),
    h('text', { x: L - 6, y: sy(y1) + 4, 'text-anchor': 'end' }, String(y1)),
    h('text', { x: L - 6, y: sy(y0) + 4, 'text-anchor': 'end' }, String(y0)),
    h('text', { x: L, y: H - 8 }, new Date(x0).toISOString().slice(0, 16).replace('T', ' ')),
    h('text', { x: W - R, y: H - 8, 'text-anchor': 'end' }, new Date(x1).toISOString().slice(0, 16).replace('T', ' ')),
    h('polyline', { points: pts }),
    points.map((p, i) => h('circle', { cx: sx(xs[i]), cy: sy(ys[i]), r: 3 }, h('title', { svg: true }, `${p.fetched_at}: ${p.value}`))));
}

async function statisticsPage(view, params) {
  put(main, pageTitle('Statistics'));
  let latest;
  try {
    latest = await api(`${API}/statistics/latest`, { signal: view.signal });
  } catch (e) {
    if (e.status === 403) { add(main, h('p', { id: 'forbidden' }, 'Statistics are for admins.')); return; }
    throw e;
  }
  const endpoints = [...new Set(latest.items.map((i) => i.endpoint))].sort();
  const endpoint = params.endpoint || endpoints[0] || '';
  const endpointSelect = h('select', { name: 'endpoint', 'data-field': 'endpoint' },
    endpoints.map((e) => h('option', { value: e, selected: e === endpoint }, e)));
  const chooser = h('form', { class: 'card', id: 'endpoint-form' },
    h('div', { class: 'row' }, field('Endpoint', endpointSelect), h('button', { type: 'submit' }, 'Show')));
  chooser.addEventListener('submit', (ev) => { ev.preventDefault(); go(`#/statistics${q({ endpoint: endpointSelect.value })}`); });

  const key = h('input', { type: 'text', name: 'key', 'data-field': 'key', value: params.key || '' });
  const from = h('input', { type: 'text', name: 'from', 'data-field': 'from', placeholder: '2025-01-31T00:00:00Z' });
  const chartError = errorLine();
  const chart = h('div', { id: 'chart' });
  const chartForm = h('form', { class: 'card', id: 'series-form', 'aria-labelledby': 'series-title' },
    h('h2', { id: 'series-title' }, 'One key over time'),
    h('div', { class: 'row' }, field('Key', key), field('From', from, 'Optional; ISO-8601 with an offset.'),
      h('button', { type: 'submit' }, 'Chart')), chartError, chart);
  const showChart = async () => {
    clearErrors(chartForm);
    try {
      const series = await api(`${API}/statistics/series${q({ endpoint, key: key.value.trim(), from: from.value.trim() })}`);
      put(chart, lineChart(series.points, series.key));
    } catch (e) { put(chart); showProblem(e, chartForm, chartError); }
  };
  chartForm.addEventListener('submit', (ev) => { ev.preventDefault(); showChart(); });

  const pattern = h('input', { type: 'text', name: 'pattern', 'data-field': 'pattern', placeholder: 'jobs.by_kind.{kind}.total' });
  const segError = errorLine();
  const segments = h('div', { id: 'segments' });
  const segForm = h('form', { class: 'card', id: 'segments-form', 'aria-labelledby': 'segments-title' },
    h('h2', { id: 'segments-title' }, 'Segment values'),
    h('div', { class: 'row' }, field('Pattern', pattern, 'A key path with one {named} segment; * stands for any one segment.'),
      h('button', { type: 'submit' }, 'Find')), segError, segments);
  segForm.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(segForm);
    try {
      const found = await api(`${API}/statistics/segments${q({ pattern: pattern.value.trim(), endpoint })}`);
      put(segments, h('p', {}, `${found.segment}: `), found.values.length
        ? h('ul', {}, found.values.map((v) => h('li', { class: 'mono' }, v))) : h('p', {}, 'No values.'));
    } catch (e) { put(segments); showProblem(e, segForm, segError); }
  });

  if (!endpoints.length) {
    add(main, h('p', { class: 'notice', id: 'no-statistics' }, 'No statistics have been gathered yet (bin/offload gather-stats).'));
    return;
  }
  const doc = await api(`${API}/statistics/latest${q({ endpoint, nested: true })}`, { signal: view.signal });
  const treeBox = h('section', { class: 'card', id: 'tree', 'aria-labelledby': 'tree-title' },
    h('h2', { id: 'tree-title' }, 'Latest values'),
    tree(doc, '', (k) => { key.value = k; showChart(); chartForm.scrollIntoView(); key.focus(); }));
  add(main, chooser, treeBox, chartForm, segForm);
  if (params.key) showChart();
}

// ---- operations ---------------------------------------------------------------------------------------------

async function operationsPage(view) {
  put(main, pageTitle('Operations'));
  let stats;
  try {
    stats = await api(`${API}/stats`, { signal: view.signal });
  } catch (e) {
    if (e.status === 403) { add(main, h('p', { id: 'forbidden' }, 'Operations are for admins.')); return; }
    throw e;
  }
  const all = await workflows();
  const kinds = Object.keys(stats.jobs.by_kind).sort();
  const brokerError = h('p', { class: 'error', role: 'alert', id: 'broker-error' });
  let broker = [];
  try {
    broker = await api(`${API}/queues`, { signal: view.signal });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    showProblem(e, null, brokerError);
  }
  const byKind = new Map(broker.map((b) => [b.kind, b]));
  const num = (v) => h('td', { class: 'num' }, v ?? '—');
  const queue = h('table', { id: 'queues' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Kind'), ['Jobs waiting for a worker', 'Jobs in all',
      'Messages ready', 'Consumers', 'Dead-lettered'].map((c) => h('th', { scope: 'col', class: 'num' }, c)))),
    h('tbody', {}, kinds.map((k) => h('tr', { 'data-kind': k }, h('td', {}, k),
      num(stats.queue_depth.by_kind[k] ?? 0), num(stats.jobs.by_kind[k].total),
      num(byKind.get(k)?.messages), num(byKind.get(k)?.consumers),
      h('td', { class: 'num', 'data-dead-letters': byKind.get(k)?.dead_letters ?? '' }, byKind.get(k)?.dead_letters ?? '—')))));
  const states = kinds.map((k) => h('section', { class: 'card', 'data-kind': k },
    h('h2', {}, `${k}: jobs per state`),
    h('table', {}, h('tbody', {}, Object.entries(stats.jobs.by_kind[k].by_state).map(([s, n]) =>
      h('tr', {}, h('td', {}, stateBadge(s, workflowOf(all, k))), h('td', { class: 'num' }, n)))))));
  const errors = [];
  await Promise.all(all.map(async (w) => {
    for (const s of w.final_states.filter((x) => /error/.test(x))) {
      const page = await api(`${API}/jobs${q({ kind: w.kind, state: s, size: 10 })}`, { signal: view.signal });
      errors.push(...page.items);
    }
  }));
  errors.sort((a, b) => (b.finished_at || b.created_at).localeCompare(a.finished_at || a.created_at));
  const recent = errors.slice(0, 20);
  add(main, h('h2', {}, 'Queues'), queue, brokerError,
    h('p', { class: 'hint' }, 'Waiting jobs are counted from the job rows (the truth); messages, consumers and dead letters by the broker.'),
    h('h2', {}, 'Recent errors'), recent.length ? h('table', { id: 'recent-errors' },
      h('thead', {}, h('tr', {}, ['Job', 'Kind', 'State', 'Owner', 'When', 'Error'].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, recent.map((j) => h('tr', {}, h('td', { class: 'mono' }, h('a', { href: `#/jobs/${j.id}` }, shortId(j.id))),
        h('td', {}, j.kind), h('td', {}, j.state), h('td', {}, j.owner), h('td', {}, when(j.finished_at || j.created_at)),
        h('td', {}, j.error ? j.error.message : '—'))))) : h('p', { id: 'no-errors' }, 'No jobs ended in error.'),
    h('div', { class: 'columns' }, states));
}

// ---- imports and exports (shown once the API declares the kinds: issue #19) -------------------------------

/** Puts {@code input} in a zone that also takes a dropped file; the input stays the control (keyboard, readers). */
function dropZone(input) {
  const zone = h('div', { class: 'drop', 'data-testid': 'drop-zone' });
  input.replaceWith(zone);
  zone.append(input, h('span', { class: 'hint' }, ' or drop a file here'));
  zone.addEventListener('dragover', (ev) => { ev.preventDefault(); zone.classList.add('over'); });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (ev) => {
    ev.preventDefault();
    zone.classList.remove('over');
    if (ev.dataTransfer.files.length) input.files = ev.dataTransfer.files;
  });
  return zone;
}

async function importsPage(view) {
  const [resources, imports, all] = await Promise.all([api(`${API}/resources`, { signal: view.signal }),
    api(`${API}/imports${q({ size: 20 })}`, { signal: view.signal }), workflows()]);
  const wf = workflowOf(all, 'import');
  const resource = h('select', { name: 'resource', 'data-field': 'resource' },
    resources.filter((r) => r.importable).map((r) => h('option', { value: r.name }, r.name)));
  const file = h('input', { type: 'file', name: 'file', 'data-field': 'file_id', accept: '.csv,.tsv,.json,.xlsx' });
  const error = errorLine();
  const form = h('form', { class: 'card', id: 'new-import', 'aria-labelledby': 'new-import-title' },
    h('h2', { id: 'new-import-title' }, 'New import'),
    h('p', { class: 'hint' }, 'The file is parsed first (a dry run): you see what it would do, then confirm or cancel.'),
    h('div', { class: 'grid' }, field('Resource', resource), field('File to import', file)),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Upload and parse'), error));
  dropZone(file);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    if (!file.files.length) { showProblem({ problem: { errors: [{ field: 'file_id', message: 'choose a file first' }] } }, form, error); return; }
    try {
      const body = new FormData();
      body.append('file', file.files[0]);
      const stored = await api(`${API}/files`, { method: 'POST', form: body });
      const started = await api(`${API}/imports`, { method: 'POST', body: { file_id: stored.id, resource: resource.value } });
      go(`#/imports/${started.id}`);
    } catch (e) { showProblem(e, form, error); }
  });
  const list = imports.items.length ? h('table', { id: 'imports' },
    h('thead', {}, h('tr', {}, ['Import', 'Resource', 'File', 'State', 'Created'].map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, imports.items.map((i) => h('tr', {}, h('td', { class: 'mono' }, h('a', { href: `#/imports/${i.id}` }, shortId(i.id))),
      h('td', {}, i.resource), h('td', {}, i.filename), h('td', {}, stateBadge(i.state, wf)), h('td', {}, age(i.created_at))))))
    : h('p', {}, 'No imports yet.');
  put(main, pageTitle('Imports'), form, h('h2', {}, 'Your imports'), list);
}

async function importPage(view, id) {
  let imp;
  try {
    imp = await api(`${API}/imports/${encodeURIComponent(id)}`, { signal: view.signal });
  } catch (e) {
    if (e.status === 404 || e.status === 400) { notFound(`Import ${id}`); return; }
    throw e;
  }
  const wf = workflowOf(await workflows(), 'import');
  const bar = progressBar('Progress');
  const summary = h('div', { id: 'import-summary' });
  const actions = h('div', { class: 'actions', id: 'import-actions' });
  const actionError = h('p', { class: 'error', role: 'alert', id: 'import-action-error' });
  const errors = h('div', { id: 'import-errors' });
  const draw = async () => {
    const c = imp.counts || {};
    bar.set(percentOf(imp.progress, imp.state, wf));
    put(summary, h('dl', { class: 'facts' },
      h('dt', {}, 'Resource'), h('dd', {}, imp.resource), h('dt', {}, 'File'), h('dd', {}, imp.filename ?? '—'),
      h('dt', {}, 'State'), h('dd', { id: 'import-state' }, stateBadge(imp.state, wf)),
      imp.problem ? [h('dt', {}, 'Problem'), h('dd', {}, imp.problem)] : null),
    h('table', { id: 'import-counts' }, h('thead', {}, h('tr', {}, ['Rows read', 'New', 'Updated', 'Skipped', 'With errors']
      .map((t) => h('th', { scope: 'col', class: 'num' }, t)))),
    h('tbody', {}, h('tr', {}, [c.total, c.new, c.update, c.skip, c.error].map((v, i) =>
      h('td', { class: 'num', 'data-count': ['total', 'new', 'update', 'skip', 'error'][i] }, v ?? '—'))))));
    put(actions, ...imp.available_transitions.map((t) => h('button', { type: 'button', class: t === 'cancel' ? 'danger' : '',
      'data-transition': t, onclick: () => transition(t) }, t.charAt(0).toUpperCase() + t.slice(1))), actionError);
    if (c.error > 0 || /error/.test(imp.state)) {
      const page = await api(imp.links.errors + q({ size: 100 }), { signal: view.signal });
      put(errors, h('h2', {}, 'Row errors'), page.items.length ? h('table', { id: 'row-errors' },
        h('thead', {}, h('tr', {}, ['Row', 'Column', 'Value', 'Why'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, page.items.map((e) => h('tr', {}, h('td', { class: 'num' }, e.row), h('td', {}, e.column ?? '—'),
          h('td', { class: 'mono' }, e.value ?? ''), h('td', {}, e.message))))) : null,
      page.has_more ? h('p', { class: 'hint' }, 'The first 100 errors; download them all:') : null,
      h('div', { class: 'actions' }, h('button', { type: 'button', class: 'secondary', id: 'failed-rows',
        onclick: () => download(imp.links.errors_csv, actionError) }, 'Download the failed rows')));
    } else put(errors);
  };
  const transition = async (name) => {
    actionError.textContent = '';
    try {
      imp = await api(imp.links[name], { method: 'POST' });
      await draw();
    } catch (e) { showProblem(e, null, actionError); }
  };
  put(main, pageTitle(`Import ${shortId(imp.id)}`), h('section', { class: 'card' }, summary, h('div', { class: 'big' }, h('p', {}, bar.el)), actions),
    errors, h('p', {}, h('a', { href: `#/jobs/${imp.id}` }, 'Its timeline and workflow'), ' · ', h('a', { href: '#/imports' }, 'New import')));
  await draw();
  let shown = imp.state;
  const watch = () => follow(imp.id, async (event) => {
    bar.set(percentOf({ done: event.done, total: event.total }, event.state, wf));
    if (event.state !== shown) {
      shown = event.state;
      try { imp = await api(`${API}/imports/${imp.id}`, { signal: view.signal }); await draw(); } catch (e) { if (e.name !== 'AbortError') showProblem(e, null, actionError); }
    }
  }, view.signal).then(() => {
    // The stream ends at a final state; a confirm starts the import again, so follow again while it runs.
    if (!view.signal.aborted && wf && !wf.final_states.includes(imp.state)) view.timer(setTimeout(watch, 500));
  });
  if (wf && !wf.final_states.includes(imp.state)) watch();
}

const EXPORT_FORMATS = ['csv', 'tsv', 'json', 'xlsx'];

async function exportsPage(view, params) {
  const [resources, all] = await Promise.all([api(`${API}/resources`, { signal: view.signal }), workflows()]);
  const wf = workflowOf(all, 'export');
  const chosen = resources.find((r) => r.name === params.resource) || resources[0];
  const resource = h('select', { name: 'resource', 'data-field': 'resource' },
    resources.map((r) => h('option', { value: r.name, selected: r === chosen }, r.name)));
  resource.addEventListener('change', () => go(`#/exports${q({ resource: resource.value })}`, { focus: false }));
  const columns = (chosen ? chosen.columns : []).map((c) => h('input', { type: 'checkbox', id: uid('col'), value: c.name, checked: true }));
  const format = h('select', { name: 'format', 'data-field': 'format' }, EXPORT_FORMATS.map((f) => h('option', { value: f }, f)));
  const filterColumn = h('select', { name: 'filter-column' }, h('option', { value: '' }, '(no filter)'),
    (chosen ? chosen.columns : []).map((c) => h('option', { value: c.name }, c.name)));
  const filterOp = h('select', { name: 'filter-op' }, ['eq', 'gte', 'lt', 'like'].map((o) => h('option', { value: o }, o)));
  const filterValue = h('input', { type: 'text', name: 'filter-value', 'data-field': 'filter' });
  const error = errorLine();
  const status = h('div', { 'aria-live': 'polite' });
  const columnsError = h('p', { class: 'error', role: 'alert', id: 'columns-error' });
  const form = h('form', { class: 'card', id: 'new-export', 'aria-labelledby': 'new-export-title' },
    h('h2', { id: 'new-export-title' }, 'New export'),
    h('div', { class: 'grid' }, field('Resource', resource), field('Format', format)),
    h('fieldset', {}, h('legend', {}, 'Columns'), h('div', { class: 'row' },
      columns.map((c) => h('span', {}, c, ' ', h('label', { for: c.id, class: 'inline' }, c.value)))), columnsError),
    h('div', { class: 'grid' }, field('Filter column', filterColumn), field('Condition', filterOp), field('Value', filterValue)),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Export'), error), status);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const body = { resource: resource.value, format: format.value, columns: columns.filter((c) => c.checked).map((c) => c.value) };
    if (filterColumn.value) {
      body.filter = { [filterColumn.value]: filterOp.value === 'eq' ? filterValue.value : { [filterOp.value]: filterValue.value } };
    }
    try {
      const started = await api(`${API}/exports`, { method: 'POST', body });
      status.prepend(jobWatch(view, started, wf, `${API}/exports/${started.id}/download`));
    } catch (e) {
      showProblem(e, form, error);
      const left = (e.problem?.errors || []).filter((x) => /^columns/.test(x.field));
      if (left.length) columnsError.textContent = left.map((x) => x.message).join('; ');
    }
  });
  put(main, pageTitle('Exports'), form);
}

// ---- routing ------------------------------------------------------------------------------------------------

const pages = [
  { path: 'jobs', label: 'Jobs' },
  { path: 'reports', label: 'Reports' },
  { path: 'imports', label: 'Imports', kind: 'import' },
  { path: 'exports', label: 'Exports', kind: 'export' },
  { path: 'archives', label: 'Archives' },
  { path: 'statistics', label: 'Statistics', admin: true },
  { path: 'operations', label: 'Operations', admin: true },
];

let passed = {};
function go(hash, state = {}) {
  passed = state;
  if (location.hash === hash) render(); else location.hash = hash;
}

let current = null;
async function render() {
  if (current) current.abort();
  const controller = new AbortController();
  const timers = [];
  controller.signal.addEventListener('abort', () => timers.forEach(clearTimeout));
  const view = { signal: controller.signal, timer: (t) => timers.push(t), abort: () => controller.abort() };
  current = view;

  const [path, query] = (location.hash.replace(/^#\/?/, '') || 'jobs').split('?');
  const params = { ...Object.fromEntries(new URLSearchParams(query || '')), ...passed };
  passed = {};
  const parts = path.split('/');
  const signedIn = Boolean(session.token);
  document.getElementById('sign-out').hidden = !signedIn;
  document.getElementById('who').textContent = signedIn ? `${session.user}${session.admin ? ' (admin)' : ''}` : '';
  // Imports and exports are offered once the API declares their kinds.
  const kinds = signedIn ? (await workflows().catch(() => [])).map((w) => w.kind) : [];
  if (current !== view) return;
  put(document.getElementById('nav'), ...(signedIn ? pages.filter((p) => (!p.admin || session.admin) && (!p.kind || kinds.includes(p.kind)))
    .map((p) => h('a', { href: `#/${p.path}`, 'aria-current': parts[0] === p.path ? 'page' : null }, p.label)) : []));
  if (!signedIn && parts[0] !== 'sign-in') { go('#/sign-in'); return; }
  try {
    switch (parts[0]) {
      case 'sign-in': await signInPage(view, params); break;
      case 'jobs': await (parts[1] ? jobPage(view, parts[1]) : jobsPage(view, params)); break;
      case 'reports': await reportsPage(view); break;
      case 'archives': await archivesPage(view); break;
      case 'imports': if (!kinds.includes('import')) { notFound('The page imports'); break; }
        await (parts[1] ? importPage(view, parts[1]) : importsPage(view)); break;
      case 'exports': if (!kinds.includes('export')) { notFound('The page exports'); break; }
        await exportsPage(view, params); break;
      case 'statistics': await statisticsPage(view, params); break;
      case 'operations': await operationsPage(view); break;
      default: notFound(`The page ${path}`);
    }
    if (current === view && params.focus !== false) main.querySelector('h1')?.focus();
  } catch (e) {
    if (e.name === 'AbortError' || (e instanceof ApiError && e.status === 401)) return;
    put(main, pageTitle('Something went wrong'), h('p', { class: 'error', role: 'alert' }, e.message));
  }
}

document.getElementById('sign-out').addEventListener('click', () => { session.clear(); workflowsCache = null; go('#/sign-in'); });
window.addEventListener('hashchange', render);
render();
