// The cookie banners of issue 16 in headless Chromium: for each kit
// (tarteaucitron.js, vanilla-cookieconsent, Klaro, Orejime, from npm as
// locked in package-lock.json), a page of the company's site (another
// origin) loads the kit, the configuration `pdvault banner` generated and
// pdvault's /v1/cookies/adapter.js. The person refuses all (one click, a
// button as prominent as "accept all"), changes one purpose, accepts all,
// then withdraws; each choice must come back as a receipt with the right
// event and choices, under the config id the page loaded, in the store
// (`pdvault receipt show --consent-id`) and on the person's own page
// (/v1/cookies/receipts/mine, by their cookie). Then with GPC injected
// (navigator.globalPrivacyControl and the Sec-GPC header; Chromium has no
// switch): the trackers stay refused, with a receipt saying so, until the
// person accepts.
//
//   node cookies.mjs PATH/TO/pdvault      (run.mjs runs it too)
import { chromium } from 'playwright-core';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');
const MODULES = path.join(HERE, 'node_modules');
const DECL = path.join(ROOT, 'examples', 'clayrtons-corrected.yaml');
const PURPOSES = ['audience', 'social', 'advertising'];

/* where each kit's files are, and its page: scripts in the order the
   kit wants them (tarteaucitron.js and vanilla-cookieconsent before their
   configuration, Klaro and Orejime after it) */
/* tick a kit's checkbox as a click on it does (kits hide the input itself
   under a styled switch) */
async function tick(page, sel, on = true) {
	const box = page.locator(sel).first();
	await box.waitFor({ state: 'attached' });
	await box.evaluate((n, v) => { if (n.checked !== v) n.click(); }, on);
	expect(await box.evaluate(n => n.checked) === on, `${sel} is not ${on ? 'ticked' : 'unticked'}`);
}

const KITS = {
	tarteaucitron: {
		dir: path.join(MODULES, 'tarteaucitronjs'),
		head: k => `<script src="/kit/tarteaucitron.js"></script>\n<script src="/banner-${k}.js"></script>`,
		first: { accept: '#tarteaucitronPersonalize2', refuse: '#tarteaucitronAllDenied2' },
		// it binds its buttons 500 ms after drawing them (a person reads
		// first): a click before does nothing, so the test waits for both
		// handlers (BOUND)
		ready: async page => {
			await page.locator('#tarteaucitronAlertBig').waitFor({ state: 'visible' });
			await page.waitForFunction(ids => ids.every(id => window.pdvClickBound.has(id)),
				['tarteaucitronPersonalize2', 'tarteaucitronAllDenied2']);
		},
		open: page => page.evaluate(() => window.tarteaucitron.userInterface.openPanel()),
		only: async (page, service) => page.click(`#${service}Allowed`),
		acceptAll: page => page.click('#tarteaucitronAllAllowed'),
		refuseAll: page => page.click('#tarteaucitronAllDenied'),
	},
	cookieconsent: {
		dir: path.join(MODULES, 'vanilla-cookieconsent', 'dist'),
		head: k => `<link rel="stylesheet" href="/kit/cookieconsent.css">\n` +
			`<script src="/kit/cookieconsent.umd.js"></script>\n<script src="/banner-${k}.js"></script>`,
		first: { accept: '#cc-main .cm button[data-role="all"]', refuse: '#cc-main .cm button[data-role="necessary"]' },
		open: page => page.evaluate(() => window.CookieConsent.showPreferences()),
		only: async (page, service, purpose) => {
			await tick(page, `#cc-main .pm input.section__toggle[value="${purpose}"]`);
			await page.click('#cc-main .pm button[data-role="save"]');
		},
		acceptAll: page => page.click('#cc-main .pm button[data-role="all"]'),
		refuseAll: page => page.click('#cc-main .pm button[data-role="necessary"]'),
	},
	klaro: {
		dir: path.join(MODULES, 'klaro', 'dist'),
		head: k => `<script src="/banner-${k}.js"></script>\n<script defer src="/kit/klaro.js"></script>`,
		first: { accept: '.cookie-notice .cm-btn-success', refuse: '.cookie-notice .cn-decline' },
		open: page => page.evaluate(() => window.klaro.show(undefined, true)),
		only: async (page, service, purpose) => {
			await tick(page, `#purpose-item-${purpose}`);
			await page.click('.cookie-modal .cm-btn-accept');
		},
		// once a choice is made, Klaro's modal has a switch per purpose and
		// Save (its accept-all and decline buttons are for the first choice)
		acceptAll: async page => {
			for (const p of PURPOSES) await tick(page, `#purpose-item-${p}`);
			await page.click('.cookie-modal .cm-btn-accept');
		},
		refuseAll: async page => {
			for (const p of PURPOSES) await tick(page, `#purpose-item-${p}`, false);
			await page.click('.cookie-modal .cm-btn-accept');
		},
	},
	orejime: {
		dir: path.join(MODULES, 'orejime', 'dist'),
		head: k => `<link rel="stylesheet" href="/kit/orejime-standard.css">\n` +
			`<script src="/banner-${k}.js"></script>\n<script src="/kit/orejime-standard-en.js"></script>`,
		first: { accept: '[data-testid="orejime-banner-accept"]', refuse: '[data-testid="orejime-banner-decline"]' },
		open: page => page.evaluate(() => window.orejime.prompt()),
		only: async (page, service) => {
			await tick(page, `[data-testid="orejime-purpose-${service}"]`);
			await page.click('[data-testid="orejime-modal-save"]');
		},
		acceptAll: async page => {
			await page.click('[data-testid="orejime-modal-enable-all"]');
			await page.click('[data-testid="orejime-modal-save"]');
		},
		refuseAll: async page => {
			await page.click('[data-testid="orejime-modal-disable-all"]');
			await page.click('[data-testid="orejime-modal-save"]');
		},
	},
};

function freePort() {
	return new Promise((resolve, reject) => {
		const s = net.createServer().once('error', reject).listen(0, '127.0.0.1', () => {
			const { port } = s.address();
			s.close(() => resolve(port));
		});
	});
}

function expect(cond, why) { if (!cond) throw new Error(why); }

const TYPES = { '.js': 'text/javascript', '.css': 'text/css', '.html': 'text/html' };

/* the company's site: /KIT.html, /banner-KIT.js, and /kit/... from the
   kit's package (a path may not leave it) */
function siteServer(dir, kitOf, adapter) {
	return http.createServer((req, res) => {
		const url = new URL(req.url, 'http://x');
		let file = null, body = null;
		const page = url.pathname.match(/^\/([a-z]+)\.html$/);
		if (page && KITS[page[1]]) {
			body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${page[1]}</title>\n` +
				`${KITS[page[1]].head(page[1])}\n<script defer src="${adapter}"></script>\n` +
				`</head><body><h1>A page of the site</h1><p>With trackers.</p></body></html>`;
		} else if (/^\/banner-[a-z]+\.js$/.test(url.pathname)) {
			file = path.join(dir, url.pathname.slice(1));
		} else if (url.pathname.startsWith('/kit/')) {
			const base = KITS[kitOf()].dir;
			file = path.resolve(base, '.' + decodeURIComponent(url.pathname.slice(4)));
			if (!file.startsWith(base + path.sep)) file = null;
		}
		if (body === null && (!file || !fs.existsSync(file))) {
			res.writeHead(404).end();
			return;
		}
		res.writeHead(200, { 'Content-Type': (TYPES[file ? path.extname(file) : '.html'] || 'application/octet-stream') + '; charset=utf-8' });
		res.end(body !== null ? body : fs.readFileSync(file));
	});
}

/* the receipts the adapter has posted on this page, once there are n; then
   300 ms in which nothing more should come, so that a choice's receipt sent
   twice is the next one read (what comes later is caught by a count at the
   end of the check: receiptsAre) */
async function receipts(page, n) {
	await page.waitForFunction(k => (window.pdvaultReceipts || []).length >= k, n, { timeout: 10000 });
	await page.waitForTimeout(300);
	return page.evaluate(() => window.pdvaultReceipts);
}

/* the count again, at the end of a check: a receipt no choice asked for,
   however late, is one too many */
async function receiptsAre(page, n, what) {
	const have = await page.evaluate(() => window.pdvaultReceipts.length);
	expect(have === n, `${have} receipts on the page at its end, for ${what}`);
}

function choicesAre(r, want, what) {
	for (const p of PURPOSES)
		expect(r.sent.choices[p] === want[p], `${what}: ${p} is ${r.sent.choices[p]}, not ${want[p]}`);
}

/* vanilla-cookieconsent hides itself from bots (hideFromBots, its default),
   and an automated Chromium says it is one (navigator.webdriver) */
const HUMAN = () => Object.defineProperty(Navigator.prototype, 'webdriver',
	{ get: () => false, configurable: true });

/* the ids of the elements a script gave a click handler (a kit may draw a
   button before it listens to it) */
const BOUND = () => {
	const add = EventTarget.prototype.addEventListener;
	window.pdvClickBound = new Set();
	EventTarget.prototype.addEventListener = function (type, ...rest) {
		if (type === 'click' && this instanceof Element && this.id)
			window.pdvClickBound.add(this.id);
		return add.call(this, type, ...rest);
	};
};

const ALL = v => Object.fromEntries(PURPOSES.map(p => [p, v]));

/* same prominence: both shown in the first layer, buttons of the same height
   (within a few pixels) with text of the same size */
async function sameProminence(page, sel) {
	const box = async s => {
		const l = page.locator(s).first();
		await l.waitFor({ state: 'visible' });
		const b = await l.boundingBox();
		const fs_ = await l.evaluate(n => getComputedStyle(n).fontSize);
		return { ...b, fs: fs_ };
	};
	const a = await box(sel.accept), r = await box(sel.refuse);
	expect(a.fs === r.fs, `accept is in ${a.fs}, refuse in ${r.fs}`);
	expect(Math.abs(a.height - r.height) <= 4, `accept is ${a.height}px high, refuse ${r.height}px`);
}

export async function runCookieBanners(browser, BIN, log = console.log) {
	let failures = 0;
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pdv-cookies-'));
	const env = { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PDVAULT_'))),
		PDVAULT_CONFIG: DECL };
	const run = (...args) => execFileSync(BIN, args, { cwd: dir, env, encoding: 'utf8' });
	run('init');
	const port = await freePort(), sitePort = await freePort();
	const base = `http://localhost:${port}`, siteOrigin = `http://localhost:${sitePort}`;
	let current = 'tarteaucitron';
	const site = siteServer(dir, () => current, `${base}/v1/cookies/adapter.js`);
	await new Promise(r => site.listen(sitePort, '127.0.0.1', r));
	const server = spawn(BIN, ['serve', '--listen', `127.0.0.1:${port}`, '--rate', '0', '--cors', siteOrigin,
		'--access-log', 'off'], { cwd: dir, env, stdio: ['ignore', 'ignore', 'inherit'] });
	const artifacts = path.join(HERE, 'artifacts');
	fs.mkdirSync(artifacts, { recursive: true });
	const check = async (name, fn, page) => {
		try {
			await fn();
			log(`ok ${name}`);
		} catch (e) {
			failures++;
			log(`FAILED ${name}: ${String(e && e.message || e).split('\n')[0]}`);
		}
		if (page)
			await page.screenshot({ path: path.join(artifacts, `${name}.png`) }).catch(() => {});
	};
	try {
		for (let i = 0; i < 100; i++) {
			try { if ((await fetch(base + '/healthz')).ok) break; } catch { /* not yet */ }
			await new Promise(r => setTimeout(r, 100));
		}
		const only = (process.env.PDV_COOKIE_KITS || '').split(',').filter(Boolean);
		for (const kit of ['tarteaucitron', 'cookieconsent', 'klaro', 'orejime']) {
			if (only.length && !only.includes(kit))
				continue;
			current = kit;
			const k = KITS[kit];
			const id = JSON.parse(run('--json', 'banner', '--kit', kit, '--lang', 'en', '-o', `banner-${kit}.js`)).config;
			const ctx = await browser.newContext({ locale: 'en-GB' });
			ctx.setDefaultTimeout(10000);
			await ctx.addInitScript(HUMAN);
			await ctx.addInitScript(BOUND);
			const page = await ctx.newPage();
			const errors = [];
			page.on('pageerror', e => errors.push(String(e)));
			let consent = '';
			await check(`cookies-${kit}-choices`, async () => {
				await page.goto(`${siteOrigin}/${kit}.html`);
				const loaded = await page.evaluate(() => window.pdvaultBanner && window.pdvaultBanner.config);
				expect(loaded === id, `the page loaded config ${loaded}, pdvault banner wrote ${id}`);
				if (k.ready) await k.ready(page);
				await sameProminence(page, k.first);
				await page.click(k.first.refuse); // one click
				let rs = await receipts(page, 1);
				expect(rs[0].status === 201, `refuse: ${rs[0].status} ${JSON.stringify(rs[0].body || rs[0].error)}`);
				expect(rs[0].sent.event === 'refuse', `refuse is posted as ${rs[0].sent.event}`);
				choicesAre(rs[0], ALL(false), 'refuse');
				const view = await page.evaluate(() => window.pdvaultBanner);
				const audience = view.purposes.find(p => p.id === 'audience').services[0];
				await k.open(page);
				await k.only(page, audience, 'audience');
				rs = await receipts(page, 2);
				expect(rs[1].status === 201 && rs[1].sent.event === 'change', `change: ${rs[1].status} ${rs[1].sent.event}`);
				choicesAre(rs[1], { audience: true, social: false, advertising: false }, 'change one purpose');
				if (kit !== 'tarteaucitron') await k.open(page); // tarteaucitron's panel stays open
				await k.acceptAll(page);
				rs = await receipts(page, 3);
				expect(rs[2].status === 201 && rs[2].sent.event === 'accept', `accept: ${rs[2].status} ${rs[2].sent.event}`);
				choicesAre(rs[2], ALL(true), 'accept all');
				if (kit !== 'tarteaucitron') await k.open(page);
				await k.refuseAll(page);
				rs = await receipts(page, 4);
				expect(rs[3].status === 201 && rs[3].sent.event === 'withdraw', `withdraw: ${rs[3].status} ${rs[3].sent.event}`);
				choicesAre(rs[3], ALL(false), 'withdraw');
				expect(rs.length === 4, `${rs.length} receipts for 4 choices`);
				expect(rs.every(r => r.sent.config === id), 'a receipt under another config id');
				consent = (await ctx.cookies(siteOrigin)).find(c => c.name === 'pdv_consent').value;
				expect(rs.every(r => r.sent.consent_id === consent), 'the consent id is not the cookie set on the site');
				// in the store, replayable against the configuration loaded
				const stored = JSON.parse(run('--json', 'receipt', 'show', '--consent-id', consent)).receipts;
				expect(stored.map(r => r.event).join() === 'refuse,change,accept,withdraw',
					'stored: ' + stored.map(r => r.event).join());
				expect(stored.every(r => r.config_id === id && r.config.kit === kit), 'stored under another configuration');
				expect(stored.map(r => r.receipt).join() === rs.map(r => r.body.receipt).join(), 'the ids answered are not the ones stored');
				expect(!errors.length, 'script errors: ' + errors.slice(0, 2).join(' | '));
			}, page);
			await check(`cookies-${kit}-mine`, async () => {
				expect(consent, 'no consent id: the choices failed');
				// the person's own page: the cookie on localhost goes to the vault too
				const mine = await ctx.newPage();
				await mine.goto(`${base}/privacy/`);
				await mine.getByRole('link', { name: 'My cookie choices' }).click();
				await mine.waitForURL(/\/v1\/cookies\/receipts\/mine/);
				const text = await mine.locator('main').innerText();
				const ids = JSON.parse(run('--json', 'receipt', 'show', '--consent-id', consent)).receipts.map(r => r.receipt);
				expect(ids.length === 4 && ids.every(r => text.includes(r)), 'the person does not see their four receipts');
				expect(text.includes(id), 'the configuration shown is not named');
				await mine.close();
				await receiptsAre(page, 4, 'four choices');
			});
			if (errors.length)
				log(`# ${kit}: script errors: ${errors.slice(0, 3).join(' | ')}`);
			await ctx.close();
			// GPC: the signal injected, as Chromium has no switch for it
			const gctx = await browser.newContext({ locale: 'en-GB', extraHTTPHeaders: { 'Sec-GPC': '1' } });
			gctx.setDefaultTimeout(10000);
			await gctx.addInitScript(HUMAN);
			await gctx.addInitScript(BOUND);
			await gctx.addInitScript(() => Object.defineProperty(Navigator.prototype, 'globalPrivacyControl',
				{ get: () => true, configurable: true }));
			const gpage = await gctx.newPage();
			await check(`cookies-${kit}-gpc`, async () => {
				await gpage.goto(`${siteOrigin}/${kit}.html`);
				let rs = await receipts(gpage, 1);
				expect(rs[0].status === 201 && rs[0].sent.event === 'refuse' && rs[0].sent.gpc === true && rs[0].body.gpc === true,
					`with GPC, the first visit is not a refusal: ${JSON.stringify(rs[0].sent)}`);
				const state = await gpage.evaluate(() => window.pdvaultAdapter.choices());
				expect(PURPOSES.every(p => state[p] === false), 'a tracker is on under GPC: ' + JSON.stringify(state));
				// nothing should come without a choice: a wait can only say
				// so for a while, and receiptsAre counts again at the end
				await gpage.waitForTimeout(500);
				expect((await gpage.evaluate(() => window.pdvaultReceipts.length)) === 1, 'more receipts without a choice');
				if (k.ready) await k.ready(gpage);
				await gpage.click(k.first.accept); // the explicit acceptance
				rs = await receipts(gpage, 2);
				expect(rs[1].status === 201 && rs[1].sent.event === 'accept' && rs[1].sent.gpc === true,
					`the acceptance: ${JSON.stringify(rs[1].sent)}`);
				const after = await gpage.evaluate(() => window.pdvaultAdapter.choices());
				expect(PURPOSES.every(p => after[p] === true), 'accepted, but the kit says ' + JSON.stringify(after));
				await receiptsAre(gpage, 2, 'a refusal under GPC and one acceptance');
			}, gpage);
			await gctx.close();
		}
	} finally {
		site.close();
		if (server.exitCode === null) {
			const exited = new Promise(r => server.once('exit', r));
			server.kill('SIGTERM');
			await Promise.race([exited, new Promise(r => setTimeout(r, 5000))]);
		}
		fs.rmSync(dir, { recursive: true, force: true });
	}
	return failures;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	if (!process.argv[2]) {
		console.error('usage: node cookies.mjs PATH/TO/pdvault');
		process.exit(2);
	}
	const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
		args: ['--no-sandbox'], headless: true });
	let failures = 1;
	try {
		failures = await runCookieBanners(browser, path.resolve(process.argv[2]));
	} finally {
		await browser.close();
	}
	process.exit(failures ? 1 : 0);
}
