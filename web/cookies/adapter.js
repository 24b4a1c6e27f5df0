/*
 * pdvault's consent adapter, served at /v1/cookies/adapter.js (no
 * third-party code). A site loads it after its banner and the configuration
 * `pdvault banner` wrote (window.pdvaultBanner). It listens to the kit's own
 * events (tarteaucitron.js: tac.consent_updated; vanilla-cookieconsent:
 * cc:onFirstConsent and cc:onChange; Klaro: the manager's saveConsents;
 * Orejime: the manager's update) and posts every choice to
 * POST /v1/cookies/receipts on the server it was loaded from:
 *
 *   {consent_id, config, declaration, event, choices, gpc, given_at}
 *
 * consent_id is a random id the adapter keeps in the pdv_consent cookie, on
 * the site's own domain, as long as the longer of the declared lifetimes;
 * nothing else identifies the person. choices has one entry per purpose that
 * needs consent: granted only when the kit granted every tracker of it.
 * event: accept (all granted), refuse (none, and none was before), withdraw
 * (none, after some were granted), change (some).
 *
 * Global Privacy Control (navigator.globalPrivacyControl, or Sec-GPC: 1 as
 * the server sees it): a browser that sends it and has made no choice yet
 * gets a refusal receipt at once (gpc: true), and the kit is left as it is,
 * with every tracker that needs consent off, until the person explicitly
 * accepts one in the banner; that acceptance is posted with gpc: true too.
 *
 * After each post: window.pdvaultLastReceipt = {status, body, sent} (all of
 * them in window.pdvaultReceipts) and a "pdvault:receipt" event on document,
 * for the page (and the tests); window.pdvaultAdapter.choices() says what the
 * kit grants now.
 */
(function () {
	'use strict';
	var b = window.pdvaultBanner;
	var me = document.currentScript;
	if (!b || !me || !b.purposes)
		return;
	var origin = new URL(me.src, location.href).origin;
	var endpoint = origin + '/v1/cookies/receipts';
	var COOKIE = 'pdv_consent';
	var LAST = 'pdv_consent_last';
	var timer = null;
	var receipts = [];
	window.pdvaultReceipts = receipts;
	/* what the kit grants now, per purpose that needs consent */
	window.pdvaultAdapter = {choices: function () { return choices(); }};

	function readCookie(name) {
		var parts = document.cookie ? document.cookie.split(';') : [];
		for (var i = 0; i < parts.length; i++) {
			var kv = parts[i].trim().split('=');
			if (kv[0] === name)
				return decodeURIComponent(kv.slice(1).join('='));
		}
		return null;
	}

	function newId() {
		var bytes = new Uint8Array(18);
		crypto.getRandomValues(bytes);
		var s = btoa(String.fromCharCode.apply(null, bytes));
		return s.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
	}

	function consentId() {
		var id = readCookie(COOKIE);
		if (!id || !/^[A-Za-z0-9_-]{16,128}$/.test(id))
			id = newId();
		var days = Math.max(b.consent_days || 0, b.refusal_days || 0) || 182;
		document.cookie = COOKIE + '=' + id + '; Max-Age=' + days * 86400 +
		                  '; Path=/; SameSite=Lax' +
		                  (location.protocol === 'https:' ? '; Secure' : '');
		return id;
	}

	function gpc() {
		return navigator.globalPrivacyControl === true;
	}

	/* what the kit says of one of its ids (a tracker's, or a category's) */
	var granted = function () { return false; };
	/* whether the kit holds an answer for every tracker yet (tarteaucitron.js
	 * also fires its event for the "wait" state it sets on load) */
	var answered = function () { return true; };

	function choices() {
		var c = {};
		b.purposes.forEach(function (p) {
			if (p.required)
				return;
			var all = p.services.length > 0;
			p.services.forEach(function (s) {
				if (!granted(s))
					all = false;
			});
			c[p.id] = all;
		});
		return c;
	}

	function lastChoices() {
		try {
			return JSON.parse(localStorage.getItem(LAST) || 'null');
		} catch (e) {
			return null;
		}
	}

	function eventOf(c, before) {
		var keys = Object.keys(c);
		var n = keys.filter(function (k) { return c[k]; }).length;
		if (keys.length && n === keys.length)
			return 'accept';
		if (n > 0)
			return 'change';
		var had = before && Object.keys(before).some(function (k) { return before[k]; });
		return had ? 'withdraw' : 'refuse';
	}

	function post(c) {
		var before = lastChoices();
		var body = {
			consent_id: consentId(),
			config: b.config,
			declaration: b.declaration,
			event: eventOf(c, before),
			choices: c,
			gpc: gpc(),
			given_at: new Date().toISOString().replace(/\.\d+Z$/, 'Z')
		};
		try {
			localStorage.setItem(LAST, JSON.stringify(c));
		} catch (e) { /* private mode: the next event may say refuse for withdraw */ }
		return fetch(endpoint, {
			method: 'POST',
			mode: 'cors',
			credentials: 'omit',
			keepalive: true,
			headers: {'Content-Type': 'application/json'},
			body: JSON.stringify(body)
		}).then(function (r) {
			return r.json().then(function (d) {
				var rec = {status: r.status, body: d, sent: body};
				receipts.push(rec);
				window.pdvaultLastReceipt = rec;
				document.dispatchEvent(new CustomEvent('pdvault:receipt', {detail: rec}));
			});
		}).catch(function (e) {
			receipts.push({status: 0, error: String(e), sent: body});
		});
	}

	/* kits fire one event per tracker of a click: one receipt per click */
	function changed() {
		if (timer)
			clearTimeout(timer);
		timer = setTimeout(function () {
			timer = null;
			if (answered())
				post(choices());
		}, 80);
	}

	/* GPC: a first visit is a refusal until the person accepts */
	function gpcFirstVisit() {
		if (gpc() && lastChoices() === null)
			post(choices());
	}

	var kits = {
		tarteaucitron: function () {
			granted = function (s) { return window.tarteaucitron.state[s] === true; };
			answered = function () {
				return b.purposes.every(function (p) {
					return p.services.every(function (s) {
						return typeof window.tarteaucitron.state[s] === 'boolean';
					});
				});
			};
			document.addEventListener('tac.consent_updated', changed);
			gpcFirstVisit();
		},
		cookieconsent: function () {
			granted = function (s) { return window.CookieConsent.acceptedCategory(s); };
			window.addEventListener('cc:onFirstConsent', changed);
			window.addEventListener('cc:onChange', changed);
			gpcFirstVisit();
		},
		klaro: function () {
			var m = window.klaro.getManager();
			granted = function (s) { return m.getConsent(s) === true; };
			m.watch({update: function (mgr, name) {
				if (name === 'saveConsents')
					changed();
			}});
			gpcFirstVisit();
		},
		orejime: function () {
			function hook(o) {
				granted = function (s) { return o.manager.getConsent(s) === true; };
				o.manager.on('update', changed);
				gpcFirstVisit();
			}
			if (window.orejime)
				hook(window.orejime);
			else
				document.addEventListener('orejime.loaded', function (e) { hook(e.detail); });
		}
	};
	var start = kits[b.kit];
	if (!start)
		return;
	if (b.kit === 'orejime' || document.readyState !== 'loading')
		start();
	else
		document.addEventListener('DOMContentLoaded', start);
})();
