// The back office's URLs: every view has one (/staff/requests,
// /staff/requests/REF, /staff/subjects/ID...), so back and forward work, a
// reload shows the same view and a link can be shared. The server answers
// the back office's page for any path under /staff/ (src/http/http.c), and
// this router shows the view the path names.
//
// A view is added with one line, in the file that owns it:
//     route('/staff/tokens/:name', 'tokens', p => showToken(p.name));
// ':name' matches one path segment (given decoded in p); the query is given
// as a URLSearchParams. Views are <section id="view-NAME"> in index.html; the
// router asks the page to show the section (onView), then calls the line's
// function. See docs/internals/web.md.
//
// Links are ordinary <a href="/staff/..."> (they open in a new tab, can be
// copied); a plain click on one is taken here without reloading the page.
// Nothing personal goes in a URL: a person is named by their id, a request
// by its reference, never by an address (URLs end up in histories and logs).

const routes = [];
let onView = () => {};
let onUnknown = () => {};
let ready = false, wired = false;

/** Add a view's URL: pattern such as '/staff/requests/:id'; view, the
    section to show; enter(params, query), what to load once it is shown. */
export function route(pattern, view, enter = () => {}) {
	const names = [];
	const re = new RegExp('^' + pattern.replace(/\/$/, '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
		.replace(/:(\w+)/g, (m, n) => { names.push(n); return '([^/]+)'; }) + '/?$');
	routes.push({ pattern, re, names, view, enter });
}

/** The route a path names, with its parameters, or null. */
export function match(path) {
	for (const r of routes) {
		const m = r.re.exec(path);
		if (!m) continue;
		const params = {};
		r.names.forEach((n, i) => {
			try { params[n] = decodeURIComponent(m[i + 1]); } catch { params[n] = m[i + 1]; }
		});
		return { route: r, params };
	}
	return null;
}

/* show what the address bar names */
function dispatch(focus) {
	const found = match(location.pathname);
	const query = new URLSearchParams(location.search);
	if (!found) return onUnknown(location.pathname);
	// the page may decline a view (one the role may not open): nothing loads
	if (onView(found.route.view, focus) === false) return;
	found.route.enter(found.params, query);
}

/** Go to a back-office URL: a new history entry (or the current one
    replaced, for a filter changed in place), then its view. */
export function navigate(url, { replace = false, focus = true } = {}) {
	const target = new URL(url, location.href);
	const same = target.pathname + target.search === location.pathname + location.search;
	if (replace || same) history.replaceState(null, '', target.pathname + target.search + target.hash);
	else history.pushState(null, '', target.pathname + target.search + target.hash);
	if (ready) dispatch(focus);
}

/** The query of the current URL changed in place (a filter): no new entry. */
export function setQuery(name, value) {
	const q = new URLSearchParams(location.search);
	if (value === null || value === undefined || value === '') q.delete(name);
	else q.set(name, value);
	const s = q.toString();
	history.replaceState(null, '', location.pathname + (s ? '?' + s : ''));
}

/** Start: show(view, focus) shows a section (false: it showed another,
    and the view's function is not called); unknown(path) for a path no
    route names. Then show the current URL (without moving the focus). */
export function startRouter({ show, unknown }) {
	onView = show;
	onUnknown = unknown;
	ready = true;
	if (!wired) wire();
	dispatch(false);
}

/** Signed out: the URL stays (signing in again shows it), nothing is shown. */
export function stopRouter() { ready = false; }

function wire() {
	wired = true;
	window.addEventListener('popstate', () => { if (ready) dispatch(true); });
	document.addEventListener('click', e => {
		if (!ready || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
		const a = e.target.closest && e.target.closest('a[href]');
		if (!a || a.target || a.hasAttribute('download')) return;
		const url = new URL(a.href, location.href);
		if (url.origin !== location.origin || !url.pathname.startsWith('/staff/')) return;
		if (url.pathname === location.pathname && url.search === location.search && url.hash) return;
		if (!match(url.pathname)) return;
		e.preventDefault();
		navigate(url.pathname + url.search + url.hash);
	});
}
