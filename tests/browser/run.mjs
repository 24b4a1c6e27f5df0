// Browser test of the pdvault web UI (web/), in headless Chromium.
//
//   cd tests/browser && npm install && node run.mjs ../../build/src/cli/pdvault
//
// Builds nothing. Creates a temporary vault from examples/alegria-corrected.yaml,
// serves it on a free port, then drives: (a0) the form `pdvault form`
// generates, embedded in a page of another origin (the company's site, CORS),
// (a) the form page, (b) the back office, (c) the privacy center, where the
// person also follows their request by its reference, then (d) the cookie
// banners of tests/browser/cookies.mjs. One line per check: "ok NAME" or
// "FAILED NAME: why"; exit status 1 on any failure. Screenshots go to
// tests/browser/artifacts/. The person is synthetic, and no personal data is
// printed (the email and codes are never logged).
import { chromium } from 'playwright-core';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCookieBanners } from './cookies.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');
const ARTIFACTS = path.join(HERE, 'artifacts');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const EMAIL = 'ada.browser-test@example.org';
const EMAIL_SITE = 'grace.site-test@example.org';

if (!process.argv[2]) {
	console.error('usage: node run.mjs PATH/TO/pdvault');
	process.exit(2);
}
const BIN = path.resolve(process.argv[2]);
if (!fs.existsSync(CHROMIUM)) {
	console.error(`FAILED setup: no Chromium at ${CHROMIUM} (apt-get install chromium)`);
	process.exit(1);
}

const vault = fs.mkdtempSync(path.join(os.tmpdir(), 'pdv-browser-'));
fs.mkdirSync(ARTIFACTS, { recursive: true });
let failures = 0, shot = 0, server = null, browser = null, page = null, site = null;
let reference = '';
let mailBase = '', mailServer = null, mailSmtpd = null, hookServer = null, hookd = null;
const mailVault = path.join(vault, 'doi');
const mailDir = path.join(vault, 'smtp');

/* the newest email captured by the relay for `to`, once there are more than
   `seen`: its text part decoded (quoted-printable), waited for up to 10 s */
async function emailTo(to, seen) {
	for (let i = 0; i < 200; i++) {
		const files = fs.existsSync(mailDir) ? fs.readdirSync(mailDir).filter(f => f.endsWith('.eml')).sort() : [];
		if (files.length > seen) {
			const raw = fs.readFileSync(path.join(mailDir, files[files.length - 1]), 'latin1');
			expect(raw.includes(`To: ${to}`) || raw.includes(`<${to}>`), 'the email is not to ' + to);
			const text = raw.split(/Content-Type: text\/plain[^\n]*\n/i)[1].split(/\r?\n--/)[0];
			const decoded = text.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g,
				(_, h) => String.fromCharCode(parseInt(h, 16)));
			return { count: files.length, text: Buffer.from(decoded, 'latin1').toString('utf8') };
		}
		await new Promise(r => setTimeout(r, 50));
	}
	throw new Error('no email came to the relay');
}

/* the CLI, run in the temporary vault; --json output parsed */
function cli(...args) {
	return JSON.parse(execFileSync(BIN, ['--json', ...args], { cwd: vault, encoding: 'utf8' }));
}

/* the captured mail: tests/lib/smtpd.py writes DIR/NNNN.eml atomically;
   each as {subject, to, text} with the quoted-printable bodies decoded */
const MAILDIR = path.join(vault, 'mail');
let smtpd = null;
function mails() {
	if (!fs.existsSync(MAILDIR)) return [];
	return fs.readdirSync(MAILDIR).filter(f => f.endsWith('.eml')).sort().map(f => {
		const raw = fs.readFileSync(path.join(MAILDIR, f), 'latin1');
		const env = JSON.parse(fs.readFileSync(path.join(MAILDIR, f.replace(/\.eml$/, '.json')), 'utf8'));
		const qp = raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g,
			(_, h) => String.fromCharCode(parseInt(h, 16)));
		const text = Buffer.from(qp, 'latin1').toString('utf8');
		const subject = (raw.match(/^Subject: (.*)$/m) || [])[1] || '';
		return { subject, to: env.rcpt_tos, text };
	});
}
const sleep = ms => new Promise(r => setTimeout(r, ms));

/* the newest code sent, read from the captured email once the courier has
   sent every message of that kind: "verification" (the privacy center's
   code, in its subject) or "confirmation" (a double opt-in, in its text) */
async function lastCode(kind = 'verification') {
	for (let i = 0; i < 100; i++) {
		const pending = cli('outbox', 'list').messages
			.filter(m => m.kind === kind && (m.status === 'queued' || m.status === 'sending'));
		if (!pending.length) break;
		await sleep(100);
	}
	const codes = mails().map(m => (m.text.split(/\r?\n\r?\n/).slice(1).join('\n')
		.match(/\b(\d{6})\b/) || [])[1]).filter(Boolean);
	if (!codes.length) throw new Error(`no ${kind} code in the captured mail`);
	return codes[codes.length - 1];
}

/* the mails that arrived after n, once one matches */
async function mailAfter(n, re) {
	for (let i = 0; i < 100; i++) {
		const m = mails().slice(n).find(x => re.test(x.text));
		if (m) return m;
		await sleep(100);
	}
	throw new Error('no mail matching ' + re);
}

function freePort() {
	return new Promise((resolve, reject) => {
		const s = net.createServer().once('error', reject).listen(0, '127.0.0.1', () => {
			const { port } = s.address();
			s.close(() => resolve(port));
		});
	});
}

async function waitHealthy(base) {
	for (let i = 0; i < 100; i++) {
		try { if ((await fetch(base + '/healthz')).ok) return; } catch { /* not yet */ }
		await new Promise(r => setTimeout(r, 100));
	}
	throw new Error('the server did not answer /healthz');
}

/* run one check; a failure is reported and the run goes on */
async function check(name, fn) {
	try {
		await fn();
		// a rendering slip (a node or object turned into text) shows as "[object "
		if (page) expect(!(await page.locator('body').innerText()).includes('[object '),
			'"[object ...]" printed in the page');
		console.log(`ok ${name}`);
	} catch (e) {
		failures++;
		console.log(`FAILED ${name}: ${String(e && e.message || e).split('\n')[0]}`);
	}
	if (page) {
		shot++;
		await page.screenshot({ path: path.join(ARTIFACTS, `${String(shot).padStart(2, '0')}-${name}.png`),
			fullPage: true }).catch(() => {});
	}
}

function expect(cond, why) { if (!cond) throw new Error(why); }

/* every visible form control has a label (or an aria-label) */
async function allLabelled() {
	const bad = await page.evaluate(() => [...document.querySelectorAll('input, select, textarea')]
		.filter(n => n.type !== 'hidden' && n.offsetParent !== null)
		.filter(n => !n.labels.length && !n.getAttribute('aria-label'))
		.map(n => n.id || n.name || n.tagName));
	expect(!bad.length, 'controls without a label: ' + bad.join(', '));
}

async function main() {
	// the vault, a dpo token, the server
	fs.copyFileSync(path.join(ROOT, 'examples', 'alegria-corrected.yaml'), path.join(vault, 'pdvault.yaml'));
	execFileSync(BIN, ['init'], { cwd: vault, stdio: 'ignore' });
	const token = cli('token', 'create', 'dpo', '--name', 'browser-test').token;
	const port = await freePort();
	const base = `http://127.0.0.1:${port}`;
	// the company's own website, another origin, embedding the form that
	// `pdvault form` generates; the server lets that origin post (CORS)
	const sitePort = await freePort();
	const siteOrigin = `http://127.0.0.1:${sitePort}`;
	const fragment = execFileSync(BIN, ['form', 'contact', '--lang', 'en', '--action', base],
		{ cwd: vault, encoding: 'utf8' });
	// a second vault whose server delivers through a real SMTP relay
	// (tests/lib/smtpd.py, capturing each message as a .eml file): the
	// site's newsletter form, a double opt-in, is finished from the email
	const mailPort = await freePort();
	mailBase = `http://127.0.0.1:${mailPort}`;
	const newsletter = execFileSync(BIN, ['form', 'newsletter', '--lang', 'en', '--action', mailBase],
		{ cwd: vault, encoding: 'utf8' });
	site = http.createServer((req, res) => {
		res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
		if (req.url === '/newsletter') {
			res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Alegria.tech - newsletter</title></head><body><main><h1>Our newsletter</h1>${newsletter}</main></body></html>`);
			return;
		}
		res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Alegria.tech - contact</title></head><body><main><h1>Contact us</h1>${fragment}</main></body></html>`);
	});
	await new Promise(r => site.listen(sitePort, '127.0.0.1', r));
	// a real SMTP relay (Debian's python3-aiosmtpd sees Debian's python3):
	// every code and answer is read from the email it sent
	fs.mkdirSync(MAILDIR);
	smtpd = spawn('/usr/bin/python3', [path.join(ROOT, 'tests', 'lib', 'smtpd.py'), '--dir', MAILDIR,
		'--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
	const smtpPort = await new Promise((resolve, reject) => {
		let buf = '';
		smtpd.stdout.on('data', d => {
			buf += d;
			const m = buf.match(/^READY (\d+)/);
			if (m) resolve(Number(m[1]));
		});
		smtpd.once('exit', () => reject(new Error('smtpd.py did not start')));
	});
	const log = fs.openSync(path.join(vault, 'serve.log'), 'w');
	server = spawn(BIN, ['serve', '--listen', `127.0.0.1:${port}`, '--rate', '0', '--cors', siteOrigin,
		'--smtp', `smtp://127.0.0.1:${smtpPort}`, '--public-url', base],
		{ cwd: vault, stdio: ['ignore', log, log] });
	await waitHealthy(base);
	fs.mkdirSync(mailVault);
	fs.copyFileSync(path.join(ROOT, 'examples', 'alegria-corrected.yaml'), path.join(mailVault, 'pdvault.yaml'));
	execFileSync(BIN, ['init'], { cwd: mailVault, stdio: 'ignore' });
	mailSmtpd = spawn('/usr/bin/python3', [path.join(ROOT, 'tests', 'lib', 'smtpd.py'), '--dir', mailDir, '--port', '0'],
		{ stdio: ['ignore', 'pipe', 'inherit'] });
	const mailSmtpPort = await new Promise((resolve, reject) => {
		let got = '';
		mailSmtpd.stdout.on('data', d => {
			got += d;
			const m = /^READY (\d+)/.exec(got);
			if (m) resolve(Number(m[1]));
		});
		mailSmtpd.once('exit', () => reject(new Error('tests/lib/smtpd.py did not start (python3-aiosmtpd?)')));
	});
	const mailLog = fs.openSync(path.join(mailVault, 'serve.log'), 'w');
	mailServer = spawn(BIN, ['serve', '--listen', `127.0.0.1:${mailPort}`, '--rate', '0', '--cors', siteOrigin,
		'--smtp', `smtp://127.0.0.1:${mailSmtpPort}`, '--public-url', mailBase],
	{ cwd: mailVault, stdio: ['ignore', mailLog, mailLog] });
	await waitHealthy(mailBase);

	browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'], headless: true });
	// an English browser: the pages pick their language from navigator.language
	const ctx = await browser.newContext({ acceptDownloads: true, locale: 'en-GB' });
	page = await ctx.newPage();
	page.setDefaultTimeout(10000);
	const pageErrors = [];
	page.on('pageerror', e => pageErrors.push(e.message));
	// console errors catch CSP violations; a 4xx answer the page expects (a
	// wrong code) is logged by Chromium as "Failed to load resource": ignored
	page.on('console', m => {
		if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) pageErrors.push(m.text());
	});

	/* ---- (a0) the form `pdvault form contact` generated, on the company's site ---- */
	await check('generated-form-on-site', async () => {
		await page.goto(siteOrigin + '/');
		const form = page.locator('form.pdvault-form');
		await form.waitFor();
		const consent = form.locator('input[type=checkbox][name=consent]');
		expect(!(await consent.isChecked()), 'the consent box is ticked in advance');
		const label = await page.locator('label[for="pdvault-contact-consent"]').innerText();
		expect(label.includes('I agree that Alegria.tech processes my request'),
			'the consent label is not the declared text');
		expect((await form.locator('label', { hasText: '*' }).count()) >= 3, 'required fields not marked *');
		await allLabelled();
		await form.locator('[name=last_name]').fill('Hopper');
		await form.locator('[name=first_name]').fill('Grace');
		await form.locator('[name=email]').fill(EMAIL_SITE);
		await form.locator('[name=message]').fill('A question from the website.');
		await consent.check();
		await form.locator('button[type=submit]').click();
		await form.locator('.pdvault-status.pdvault-ok').waitFor();
		// the submission crossed origins and is in the vault
		const found = cli('find', '--email', EMAIL_SITE).subjects;
		expect(found.length === 1, 'the submission is not in the vault');
	});

	/* ---- (a) the form page, for the consent-based activity "contact" ---- */
	await check('form-renders', async () => {
		await page.goto(base + '/privacy/form.html?activity=contact');
		await page.getByRole('heading', { level: 1, name: 'Contact' }).waitFor();
		const consent = page.getByLabel('I agree that Alegria.tech processes my request');
		expect(!(await consent.isChecked()), 'the consent box is ticked in advance');
		expect(await page.locator('label[for="f-last_name"] .req').count() === 1, 'required field not marked *');
		expect(await page.locator('label[for="f-company"]').count() === 0, 'a field of another activity');
		const href = await page.getByRole('link', { name: 'privacy notice' }).getAttribute('href');
		expect(href && href.startsWith('/v1/notice'), 'no link to the notice');
		await allLabelled();
	});
	await check('form-submit', async () => {
		await page.getByLabel('Last name').fill('Lovelace');
		await page.getByLabel('First name').fill('Ada');
		await page.getByLabel('Email address').fill(EMAIL);
		await page.getByLabel('Message').fill('Please call me back about the training.');
		await page.getByLabel('I agree that Alegria.tech processes my request').check();
		await page.getByRole('button', { name: 'Send' }).click();
		await page.getByRole('status').filter({ hasText: 'your submission was received' }).waitFor();
	});

	await check('form-double-opt-in', async () => {
		// the newsletter asks for a double opt-in: a code, then the record
		await page.goto(base + '/privacy/form.html?activity=newsletter');
		await page.getByLabel('Email address').fill(EMAIL);
		await page.getByLabel('I want to receive the Alegria.tech newsletter').check();
		await page.getByRole('button', { name: 'Send' }).click();
		await page.getByLabel('Code received by email').waitFor(); // the code is queued
		await page.getByLabel('Code received by email').fill(await lastCode('confirmation'));
		await page.getByRole('button', { name: 'Confirm' }).click();
		await page.getByRole('status').filter({ hasText: 'subscription is confirmed' }).waitFor();
	});

	/* ---- (a2) the embeddable double opt-in form, finished from the email alone ---- */
	await check('site-double-opt-in-by-email', async () => {
		const reader = 'lin.newsletter@example.org';
		// by the code typed in the form
		await page.goto(siteOrigin + '/newsletter');
		const form = page.locator('form.pdvault-form');
		await form.getByLabel(/^Email/).fill(reader);
		await form.getByLabel('I want to receive the Alegria.tech newsletter').check();
		await form.getByRole('button', { name: 'Send' }).click();
		await form.getByRole('status').filter({ hasText: 'enter its code below' }).waitFor();
		let mail = await emailTo(reader, 0);
		const code = /^ +(\d{6})\r?$/m.exec(mail.text)[1];
		await allLabelled();
		await form.getByLabel('Confirmation code (sent by email)').fill(code);
		await form.getByRole('button', { name: 'Send' }).click();
		await form.getByRole('status').filter({ hasText: 'subscription is confirmed' }).waitFor();
		expect(!(await form.getByLabel('Confirmation code (sent by email)').isVisible()), 'the code field is still shown');
		// by the link: a page with one button, which confirms
		const other = 'mei.newsletter@example.org';
		await form.getByLabel(/^Email/).fill(other);
		await form.getByLabel('I want to receive the Alegria.tech newsletter').check();
		await form.getByRole('button', { name: 'Send' }).click();
		await form.getByRole('status').filter({ hasText: 'enter its code below' }).waitFor();
		mail = await emailTo(other, mail.count);
		const link = /(http:\/\/127\.0\.0\.1:\d+\/v1\/confirm\?\S+)/.exec(mail.text)[1];
		await page.goto(link);
		// the page speaks the email's language (the declaration's first, French here)
		await page.getByRole('heading', { level: 1, name: 'Confirmer votre inscription' }).waitFor();
		await page.getByRole('button', { name: 'Je confirme' }).click();
		await page.getByRole('heading', { level: 1, name: 'C\'est confirmé' }).waitFor();
		const subjects = JSON.parse(execFileSync(BIN, ['--json', 'find', '--email', other], { cwd: mailVault, encoding: 'utf8' }));
		expect(subjects.subjects.length === 1, 'the link\'s reader is not in the vault');
	});

	/* ---- (b) the back office ---- */
	await check('staff-login', async () => {
		await page.goto(base + '/staff/');
		await page.getByLabel('Access token').fill(token);
		await page.getByRole('button', { name: 'Sign in' }).click();
		await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
		expect((await page.locator('#who').textContent()).includes('(dpo)'), 'role not shown');
		const stored = await page.evaluate(() => sessionStorage.getItem('pdv-token'));
		expect(stored === token, 'token not kept in sessionStorage');
	});
	await check('staff-search', async () => {
		await page.getByRole('button', { name: 'People' }).click();
		await page.getByLabel('Email address', { exact: true }).fill(EMAIL);
		await page.getByRole('button', { name: 'Search' }).click();
		const rec = page.locator('article.record').filter({ hasText: /^contact/ });
		await rec.waitFor();
		expect(await page.locator('article.record').count() === 2, 'not the contact and newsletter records');
		expect((await rec.locator('h3').textContent()).startsWith('contact'), 'not the contact record');
		expect((await rec.textContent()).includes(EMAIL), 'the email field is not shown');
		expect((await rec.textContent()).includes('Next step'), 'no next step');
		await allLabelled();
	});
	let firstDue = '';
	await check('staff-open-request', async () => {
		await page.getByRole('button', { name: 'Requests' }).click();
		await page.getByLabel('Kind of request').selectOption('access');
		await page.getByLabel('Email address of the person').fill(EMAIL);
		await page.getByRole('button', { name: 'Open the request' }).click();
		await page.getByRole('status').filter({ hasText: /Request \S+ opened/ }).waitFor();
		await page.locator('#req-panel').waitFor();
		firstDue = await page.locator('#req-info dd').nth(3).textContent();
		await allLabelled();
	});
	await check('staff-dashboard', async () => {
		await page.getByRole('button', { name: 'Dashboard' }).click();
		const row = page.locator('#dash-requests tbody tr').filter({ hasText: 'Access to my data' });
		await row.waitFor();
		expect(/\d+ d/.test(await row.textContent()), 'no days left');
		// four for every role, and the two breach cards for the dpo
		expect(await page.locator('#dash-cards .card').count() === 6, 'summary cards missing');
		await row.getByRole('button', { name: /Handle/ }).click();
		await page.locator('#req-panel').waitFor();
	});
	await check('staff-extend', async () => {
		await page.getByLabel('Reason for the extension').fill('Many records to gather from three tools.');
		await page.getByRole('button', { name: 'Extend the deadline' }).click();
		await page.getByRole('status').filter({ hasText: 'Deadline extended' }).waitFor();
		const due = await page.locator('#req-info dd').nth(3).textContent();
		expect(due && due !== firstDue, 'the due date did not change');
		expect(due.includes('(extended)'), 'the extension is not shown');
		expect((await page.locator('#req-info').textContent()).includes('Received through'),
			'the channel is not shown');
	});
	await check('staff-refuse-needs-reason', async () => {
		await page.getByLabel(/Refused/).check();
		await page.getByRole('button', { name: 'Close the request' }).click();
		await page.getByRole('status').filter({ hasText: 'A refusal needs a reason' }).waitFor();
		await page.getByLabel(/^Done/).check();
	});
	await check('staff-close', async () => {
		await page.getByRole('button', { name: 'Close the request' }).click();
		await page.getByRole('status').filter({ hasText: 'Request closed (done)' }).waitFor();
		await page.locator('#req-export').waitFor();
	});
	await check('staff-export', async () => {
		await page.getByLabel('Format', { exact: true }).first().selectOption('html');
		const [dl] = await Promise.all([page.waitForEvent('download'),
			page.getByRole('button', { name: 'Download the export' }).click()]);
		const file = path.join(ARTIFACTS, 'export-' + dl.suggestedFilename());
		await dl.saveAs(file);
		expect(fs.readFileSync(file, 'utf8').includes(EMAIL), 'the export does not hold the email');
	});
	/* a DPO works an erasure from the list: the preview of what is erased
	   and kept, a confirmation, the result with the Art. 19 notices */
	let erasureReq = '';
	await check('staff-erasure-preview', async () => {
		const subj = cli('collect', 'contact', 'last_name=Doe', 'first_name=Max',
			'email=max.doe@example.org', 'message=please forget me', '--consent').subject;
		erasureReq = cli('request', 'open', 'erasure', '--subject', subj).request;
		await page.getByRole('button', { name: 'Requests' }).click();
		await page.getByLabel('Kind', { exact: true }).selectOption('erasure');
		await page.getByRole('button', { name: 'Filter' }).click();
		const row = page.locator(`#rq-table tr[data-request="${erasureReq}"]`);
		await row.getByRole('button').click();
		await page.locator('#rq-timeline li[data-what="received"]').waitFor();
		await page.getByRole('button', { name: 'See what will be erased' }).click();
		await page.locator('#rq-preview-screen').waitFor();
		const text = await page.locator('#rq-preview-screen').innerText();
		expect(text.includes('erased') && text.includes('Nothing is erased yet'), 'no preview: ' + text);
		await allLabelled();
	});
	await check('staff-erasure-confirmed', async () => {
		page.once('dialog', d => d.accept());
		await page.getByRole('button', { name: 'Confirm the erasure' }).click();
		await page.locator('#rq-result').waitFor();
		const text = await page.locator('#rq-result').innerText();
		expect(/1 record\(s\) erased/.test(text), 'no result: ' + text);
		expect(/Notices to recipients|No recipient/.test(text), 'no Art. 19 line: ' + text);
		await page.locator('#rq-timeline li[data-what="done"]').waitFor();
	});
	/* a rectification asked through the API shows what to rectify */
	await check('staff-rectification-asked', async () => {
		const subj = cli('find', '--email', EMAIL).subjects[0];
		const req = cli('request', 'open', 'rectification', '--subject', subj,
			'--field', 'last_name=Lovelace-King').request;
		cli('request', 'note', req, 'asked by phone');
		await page.getByRole('button', { name: 'Requests' }).click();
		await page.locator(`#rq-table tr[data-request="${req}"]`).getByRole('button').click();
		await page.locator('#rq-rectify').filter({ hasText: 'Lovelace-King' }).waitFor();
		await page.locator('#rq-timeline li[data-what="note"]').filter({ hasText: 'asked by phone' }).waitFor();
	});
	await check('staff-person-page-dpo', async () => {
		await page.getByRole('button', { name: 'People' }).click();
		await page.getByLabel('Email address', { exact: true }).fill(EMAIL);
		await page.getByRole('button', { name: 'Search' }).click();
		await page.locator('#person-h').waitFor();
		for (const a of ['rectification', 'restriction', 'objection', 'erasure', 'export'])
			expect(await page.locator(`#person-actions [data-action="${a}"]`).count() === 1, 'no action ' + a);
		expect((await page.locator('#person-held').innerText()).includes('request'), 'not said held by the request');
		await page.locator('#person-audit li').first().waitFor();
	});
	await check('staff-person-page-sales', async () => {
		const sales = cli('token', 'create', 'sales', '--name', 'browser-sales').token;
		const p2 = await browser.newPage();
		try {
			await p2.goto(base + '/staff/');
			await p2.getByLabel('Access token').fill(sales);
			await p2.getByRole('button', { name: 'Sign in' }).click();
			await p2.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
			await p2.getByRole('button', { name: 'People' }).click();
			await p2.getByLabel('Email address', { exact: true }).fill(EMAIL);
			await p2.getByRole('button', { name: 'Search' }).click();
			await p2.locator('#person-h').waitFor();
			expect(await p2.locator('#person-actions [data-action]').count() === 1, 'sales is offered more than the export');
			expect(!(await p2.locator('#person-audit').count()), 'sales sees the audit trail');
			await p2.screenshot({ path: path.join(ARTIFACTS, 'person-page-sales.png'), fullPage: true });
		} finally {
			await p2.close();
		}
	});
	await check('staff-register', async () => {
		await page.getByRole('button', { name: 'Documents' }).click();
		const [dl] = await Promise.all([page.waitForEvent('download'),
			page.getByRole('button', { name: 'Download the register' }).click()]);
		expect(/\.html$/.test(dl.suggestedFilename()), 'unexpected file ' + dl.suggestedFilename());
		expect(await page.getByRole('link', { name: 'Privacy notice (English)' }).count() === 1, 'no notice link');
	});

	/* a time some hours ago, in the local time a datetime-local field takes */
	const localAgo = hours => {
		const d = new Date(Date.now() - hours * 3600e3), p2 = n => String(n).padStart(2, '0');
		return `${d.getFullYear()}-${p2(d.getMonth() + 1)}-${p2(d.getDate())}T${p2(d.getHours())}:${p2(d.getMinutes())}`;
	};
	await check('staff-breach', async () => {
		await page.getByRole('button', { name: 'Breaches' }).click();
		await page.getByLabel('Aware since').fill(localAgo(1));
		await page.getByLabel(/^What happened/).fill('A laptop with the CRM export was stolen.');
		const form = page.locator('#breach-form');
		await form.getByLabel(/^Risk to the people/).selectOption('high');
		await form.getByLabel(/^Why this assessment/).fill('Names, emails and phone numbers, unencrypted.');
		await page.getByRole('button', { name: 'Record the breach' }).click();
		await page.getByRole('status').filter({ hasText: /Breach \S+ recorded: tell the authority by/ }).waitFor();
		const row = page.locator('#br-list tbody tr').filter({ hasText: 'laptop' });
		await row.waitFor();
		expect(/(70|71) h left/.test(await row.textContent()), 'not about 71 hours left');
		await allLabelled();
		await row.getByRole('button', { name: /^Authority told/ }).click();
		await page.getByRole('status').filter({ hasText: 'Notification recorded.' }).waitFor();
		await row.getByText(/^told on/).waitFor();
		expect(await row.getByRole('button', { name: /^People told/ }).count() === 1,
			'the people are still to be told');
	});
	await check('staff-breach-assess', async () => {
		const row = page.locator('#br-list tbody tr').filter({ hasText: 'laptop' });
		await row.getByRole('button', { name: /^Assess/ }).click();
		await page.locator('#br-panel').getByLabel('Risk to the people').selectOption('unlikely');
		await page.locator('#br-panel').getByLabel('Why this assessment').fill('The disk was encrypted.');
		await page.getByRole('button', { name: 'Record the assessment' }).click();
		await page.getByRole('status').filter({ hasText: 'Assessment recorded.' }).waitFor();
		await row.getByText(/^unlikely/).waitFor();
		expect(await row.getByRole('button', { name: /^People told/ }).count() === 0,
			'the people still to be told after an "unlikely" assessment');
	});
	await check('staff-breach-late', async () => {
		// aware four days ago: the authority's 72 hours have passed
		await page.getByLabel('Aware since').fill(localAgo(96));
		await page.getByLabel(/^What happened/).fill('A misdirected mailing, found in an audit.');
		await page.getByRole('button', { name: 'Record the breach' }).click();
		const row = page.locator('#br-list tbody tr').filter({ hasText: 'misdirected' });
		await row.waitFor();
		expect((await row.textContent()).includes('overdue'), 'not shown overdue');
		await row.getByRole('button', { name: /^Authority told/ }).click();
		await page.getByLabel(/^Reasons for the delay/).fill('The mailing log was read only on audit.');
		await page.getByRole('button', { name: 'Record the notification to the authority' }).click();
		await page.getByRole('status').filter({ hasText: 'after the deadline' }).waitFor();
		await row.getByText(/^told on/).waitFor();
		await allLabelled();
	});

	/* a breach's page (web/staff/breach.js): recorded, assessed high, described
	   (Art. 33(3)), the authority told late with its reasons and reference, then
	   the people; the timeline shows each step and "late" */
	const bp = page.locator('#breach-page');
	const confirm = async form => {
		await bp.locator(form).getByRole('alertdialog').waitFor();
		await bp.locator(form).getByRole('button', { name: 'Confirm' }).click();
	};
	await check('staff-breach-page', async () => {
		await page.getByRole('button', { name: 'Breaches', exact: true }).click();
		await page.getByLabel('Aware since').fill(localAgo(80));
		await page.getByLabel(/^What happened/).fill('A supplier emailed our client list to a third party.');
		await page.getByRole('button', { name: 'Record the breach' }).click();
		const row = page.locator('#br-list tbody tr').filter({ hasText: 'supplier' });
		await row.waitFor();
		expect((await row.textContent()).includes('overdue'), 'not flagged overdue in the register');
		await row.getByRole('button', { name: /^Open/ }).click();
		await bp.getByRole('heading', { level: 1, name: /^Breach / }).waitFor();
		expect(await page.evaluate(() => document.activeElement.id) === 'bp-h', 'focus not on the page heading');
		expect((await bp.locator('#bp-timeline').textContent()).includes('Became aware of the breach'),
			'no awareness in the timeline');
		await allLabelled();
	});
	await check('staff-breach-page-assess', async () => {
		await bp.getByLabel('Risk to the people').selectOption('high');
		await bp.getByLabel('Reasons for the assessment').fill('Names and emails of 300 clients, in clear.');
		await bp.getByRole('button', { name: 'Record the assessment' }).click();
		await confirm('#bp-assess');
		await page.getByRole('status').filter({ hasText: 'Assessment recorded.' }).waitFor();
		await bp.locator('#bp-timeline').getByText(/Risk assessed: high/).waitFor();
		await bp.getByText('High risk: the people must still be told (Art. 34(1)).').waitFor();
	});
	await check('staff-breach-page-describe', async () => {
		await bp.getByLabel('Nature of the breach (a)').fill('Client list sent by a supplier to the wrong address.');
		await bp.getByLabel('Categories of people and of records (a)').fill('Clients: names, emails.');
		await bp.getByLabel('Approximate number of people concerned (a)').fill('300');
		await bp.getByLabel('Approximate number of records concerned (a)').fill('300');
		await bp.getByLabel('Likely consequences (c)').fill('Phishing emails in our name.');
		await bp.getByLabel('Measures taken or proposed (d)').fill('The recipient deleted it; clients warned.');
		await bp.getByRole('button', { name: 'Record the description' }).click();
		await confirm('#bp-describe');
		await page.getByRole('status').filter({ hasText: 'Description recorded.' }).waitFor();
		const items = await bp.locator('#bp-items').textContent();
		expect(items.includes('Client list sent by a supplier') && items.includes('300') &&
			items.includes('dpo@alegria.tech'), 'the Art. 33(3) items are not shown');
	});
	await check('staff-breach-page-late', async () => {
		// aware 80 hours ago: the 72 hours have passed, the reasons are required
		await bp.getByRole('button', { name: 'Record the notification to the authority' }).click();
		await page.getByRole('status').filter({ hasText: 'give the reasons for the delay' }).waitFor();
		expect(await bp.getByRole('alertdialog').count() === 0, 'asked to confirm without reasons');
		await bp.getByLabel('Reference given by the authority (optional)').fill('CNIL-2026-0815');
		await bp.getByLabel(/^Reasons for the delay/).fill('The supplier told us only after 3 days.');
		await bp.getByRole('button', { name: 'Record the notification to the authority' }).click();
		await bp.locator('#bp-authority').getByRole('alertdialog').filter({ hasText: 'late' }).waitFor();
		await confirm('#bp-authority');
		await page.getByRole('status').filter({ hasText: 'recorded as late' }).waitFor();
		const tl = bp.locator('#bp-timeline');
		await tl.getByText('Authority notified').waitFor();
		const text = await tl.textContent();
		expect(text.includes('late') && text.includes('CNIL-2026-0815') &&
			text.includes('The supplier told us only after 3 days.'), 'late, reference or reasons missing');
	});
	await check('staff-breach-page-people', async () => {
		await bp.getByLabel(/\(contact\)$/).check();
		await bp.getByRole('button', { name: 'Record that the people are told' }).click();
		await confirm('#bp-people');
		await page.getByRole('status').filter({ hasText: 'Recorded that the people are told.' }).waitFor();
		const tl = bp.locator('#bp-timeline');
		await tl.getByText('People told (Art. 34)').waitFor();
		expect(/\d+ notice\(s\) sent/.test(await tl.textContent()), 'no count of notices');
		expect(await bp.getByText(/the people must still be told/).count() === 0, 'still flagged');
		const steps = await tl.locator('li strong').allTextContents();
		expect(steps.join('|') === ['Became aware of the breach', 'Recorded in the register',
			'Risk assessed: high (the authority and the people)', 'The authority’s deadline (72 hours, Art. 33(1))',
			'Authority notified', 'People told (Art. 34)'].join('|'), 'timeline steps: ' + steps.join('|'));
		await allLabelled();
	});
	await check('staff-breach-page-fr', async () => {
		await page.getByRole('button', { name: 'Français' }).click();
		await bp.getByRole('heading', { level: 1, name: /^Violation / }).waitFor();
		const text = await bp.locator('#bp-timeline').textContent();
		expect(text.includes('Autorité notifiée') && text.includes('en retard'), 'the French timeline');
		await page.getByRole('button', { name: 'English' }).click();
		await bp.getByRole('heading', { level: 1, name: /^Breach / }).waitFor();
	});

	/* ---- (c) the privacy center ---- */
	await check('privacy-notice', async () => {
		await page.goto(base + '/privacy/');
		await page.locator('#notice-body h2, #notice-body h3').first().waitFor();
		await allLabelled();
	});
	const rights = page.locator('#rights');
	await check('privacy-ask-code', async () => {
		await rights.getByLabel('What do you ask?').selectOption('access');
		await rights.getByLabel('Your email address').fill(EMAIL);
		await rights.getByRole('button', { name: 'Send me a code' }).click();
		await rights.getByLabel('Code received by email').waitFor();
	});
	await check('privacy-wrong-code', async () => {
		const wrong = (await lastCode()) === '000000' ? '111111' : '000000';
		await rights.getByLabel('Code received by email').fill(wrong);
		await rights.getByRole('button', { name: 'Confirm' }).click();
		await rights.getByRole('status').filter({ hasText: 'not the right one' }).waitFor();
	});
	await check('privacy-request-confirmed', async () => {
		await rights.getByLabel('Code received by email').fill(await lastCode());
		await rights.getByRole('button', { name: 'Confirm' }).click();
		await page.locator('#rights-done').getByText('Your request is registered').waitFor();
		const due = await page.locator('#rights-done dd.due').textContent();
		expect(/\d{4}/.test(due), 'no due date');
		reference = (await page.locator('#rights-done dd.reference').textContent()).trim();
		expect(/^[0-9A-Z]{8}[0-9A-Z*~$=]$/.test(reference), 'no reference given');
	});
	/* following the request: the reference, a code, then its state */
	const status = page.locator('#status');
	const followRequest = async typed => {
		await status.getByLabel('Reference of your request').fill(typed);
		await status.getByRole('button', { name: 'Send me a code' }).click();
		await status.getByLabel('Code received by email').waitFor(); // the code is queued
		await status.getByLabel('Code received by email').fill(await lastCode());
		await status.getByRole('button', { name: 'Confirm' }).click();
		await page.locator('#status-result dd.reference').waitFor();
		return page.locator('#status-result');
	};
	await check('privacy-status-mistyped', async () => {
		const sym = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
		const typo = sym[(sym.indexOf(reference[0]) + 1) % 32] + reference.slice(1);
		await status.getByLabel('Reference of your request').fill(typo);
		await status.getByRole('button', { name: 'Send me a code' }).click();
		await status.getByRole('status').filter({ hasText: 'This reference is not valid' }).waitFor();
	});
	await check('privacy-status-received-due', async () => {
		// typed loosely: lower case, with hyphens
		const typed = [reference.slice(0, 4), reference.slice(4, 8), reference.slice(8)].join('-').toLowerCase();
		const box = await followRequest(typed);
		expect((await box.locator('dd.reference').textContent()) === reference, 'another reference shown');
		expect(/\d{4}/.test(await box.locator('dd.received').textContent()), 'no received date');
		expect(/\d{4}/.test(await box.locator('dd.due').textContent()), 'no due date');
		expect((await box.locator('dd.state').textContent()) === 'Being handled', 'not shown in progress');
		expect(await box.locator('dd.extended').count() === 0, 'shown extended');
		await allLabelled();
	});
	await check('privacy-status-extended', async () => {
		// the DPO extends it, with a reason the person is told
		cli('request', 'extend', reference, '--reason', 'Three archives to search, one on paper.');
		const box = await followRequest(reference);
		await box.locator('dd.extended').waitFor();
		expect((await box.locator('dd.extension-reason').textContent()) ===
			'Three archives to search, one on paper.', 'the reason is not shown');
		await page.getByRole('button', { name: 'Français' }).click();
		await box.getByText('Délai prolongé (art. 12(3) RGPD)').waitFor();
		await box.getByText('Motif de la prolongation').waitFor();
		await page.getByRole('button', { name: 'English' }).click();
		await page.getByRole('heading', { level: 1, name: 'Privacy center' }).waitFor();
	});
	const consents = page.locator('#consents');
	await check('privacy-consents-list', async () => {
		await consents.getByLabel('Your email address').fill(EMAIL);
		await consents.getByRole('button', { name: 'Send me a code' }).click();
		await consents.getByLabel('Code received by email').waitFor(); // the code is queued
		await consents.getByLabel('Code received by email').fill(await lastCode());
		await consents.getByRole('button', { name: 'Confirm' }).click();
		const row = page.locator('#consents-list tr[data-activity="contact"]');
		await row.waitFor();
		expect((await row.locator('.state').textContent()) === 'given', 'the consent is not shown as given');
	});
	await check('privacy-consent-withdraw', async () => {
		const row = page.locator('#consents-list tr[data-activity="contact"]');
		await row.getByRole('button', { name: /Withdraw my consent/ }).click();
		await consents.getByRole('status').filter({ hasText: 'Consent withdrawn' }).waitFor();
		expect((await row.locator('.state').textContent()) === 'withdrawn', 'not shown as withdrawn');
		expect(await row.getByRole('button').count() === 0, 'the withdraw button is still there');
	});
	/* the must-show: the person's access request (asked in the
	   privacy center, its code read from the email) answered by the DPO in
	   the back office; the person gets the link by email, downloads the
	   export after a code, and the link's second use is refused */
	let link = '';
	await check('access-answered-in-back-office', async () => {
		const before = mails().length;
		await page.goto(base + '/staff/');
		await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
		const row = page.locator('#dash-requests tbody tr').filter({ hasText: reference });
		await row.getByRole('button', { name: /Handle/ }).click();
		await page.locator('#req-panel').waitFor();
		await page.getByLabel(/^Done/).check();
		await page.getByRole('button', { name: 'Close the request' }).click();
		await page.getByRole('status').filter({ hasText: 'Request closed (done)' }).waitFor();
		const mail = await mailAfter(before, /#download=/);
		expect(mail.to.includes(EMAIL), 'the link went elsewhere');
		expect(mail.text.includes(reference), 'the email does not name the request');
		expect(!/Content-Disposition: attachment/i.test(mail.text), 'the data is attached');
		link = mail.text.match(/https?:\/\/\S+#download=[A-Za-z0-9_-]+/)[0];
		expect(link.startsWith(base + '/privacy/'), 'the link is not the privacy center\'s');
	});
	const dl = page.locator('#download');
	await check('access-download-once', async () => {
		await page.goto(link);
		await dl.getByRole('heading', { name: 'Download your data' }).waitFor();
		await dl.getByRole('button', { name: 'Send me a code' }).click();
		await dl.getByLabel('Code received by email').waitFor(); // the code is queued
		await dl.getByLabel('Code received by email').fill(await lastCode());
		const [download] = await Promise.all([
			page.waitForEvent('download'),
			dl.getByRole('button', { name: 'Download' }).click(),
		]);
		const file = path.join(vault, 'downloaded.json');
		await download.saveAs(file);
		const body = fs.readFileSync(file, 'utf8');
		const doc = JSON.parse(body);
		expect(body.includes(EMAIL), 'the export does not hold the person\'s data');
		expect(typeof doc === 'object', 'not the export');
		await dl.getByRole('status').filter({ hasText: 'Download complete' }).waitFor();
		await allLabelled();
	});
	await check('access-link-second-use-refused', async () => {
		await page.goto(base + '/privacy/');
		await page.goto(link);
		await dl.getByRole('button', { name: 'Send me a code' }).click();
		await dl.getByRole('status').filter({ hasText: 'This link was used already' }).waitFor();
		expect(await dl.getByLabel('Code received by email').isHidden(), 'a code was asked for');
	});
	/* Art. 19 in the back office: a third vault whose processor airtable is
	   told by a webhook (tests/lib/webhookd.py) that fails its first call;
	   one try (--delivery-tries 1), so the notice of an erasure fails at
	   once, the DPO sees it on the request, presses Retry, and the page
	   shows it sent when the receiver has accepted it */
	await check('art19-notice-failed-then-retried', async () => {
		const hookVault = path.join(vault, 'hook'), hookPort = await freePort(), port3 = await freePort();
		const base3 = `http://127.0.0.1:${port3}`;
		const run3 = (...args) => JSON.parse(execFileSync(BIN, ['--json', ...args], { cwd: hookVault, encoding: 'utf8' }));
		fs.mkdirSync(hookVault);
		fs.writeFileSync(path.join(hookVault, 'pdvault.yaml'),
			fs.readFileSync(path.join(ROOT, 'examples', 'alegria-corrected.yaml'), 'utf8').replace(
				'notify_email: privacy@airtable.example}', `webhook: "http://127.0.0.1:${hookPort}/airtable"}`));
		execFileSync(BIN, ['init'], { cwd: hookVault, stdio: 'ignore' });
		const secret = execFileSync(BIN, ['recipient', 'secret', 'airtable'], { cwd: hookVault, encoding: 'utf8' }).trim();
		const dpo3 = run3('token', 'create', 'dpo', '--name', 'dpo-hook').token;
		const subject = run3('collect', 'contact', 'last_name=Hook', 'first_name=Ines',
			'email=ines.hook@example.org', 'message=forget me', '--consent').subject;
		const req = run3('request', 'open', 'erasure', '--subject', subject).request;
		hookd = spawn('/usr/bin/python3', [path.join(ROOT, 'tests', 'lib', 'webhookd.py'), '--secret', secret,
			'--fail', '/airtable=1', '--dir', path.join(hookVault, 'received'), '--port', String(hookPort)],
		{ stdio: ['ignore', 'pipe', 'inherit'] });
		await new Promise((resolve, reject) => {
			let got = '';
			hookd.stdout.on('data', d => { got += d; if (/^READY /.test(got)) resolve(); });
			hookd.once('exit', () => reject(new Error('tests/lib/webhookd.py did not start')));
		});
		hookServer = spawn(BIN, ['serve', '--listen', `127.0.0.1:${port3}`, '--rate', '0', '--delivery-tries', '1'],
			{ cwd: hookVault, stdio: ['ignore', 'ignore', 'ignore'] });
		await waitHealthy(base3);
		await page.goto(base3 + '/staff/');
		await page.getByLabel('Access token').fill(dpo3);
		await page.getByRole('button', { name: 'Sign in' }).click();
		await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
		const row = page.locator('#dash-requests tbody tr').filter({ hasText: req });
		await row.getByRole('button', { name: /Handle/ }).click();
		await page.locator('#req-panel').waitFor();
		await page.getByLabel(/^Done/).check();
		await page.getByRole('button', { name: 'Close the request' }).click();
		await page.getByRole('status').filter({ hasText: 'Request closed (done)' }).waitFor();
		await page.getByRole('heading', { name: 'Recipients told (Art. 19)' }).waitFor();
		const notice = page.locator('#notices tr[data-recipient="airtable"]');
		await page.locator('#notices tr[data-recipient="airtable"][data-status="failed"]').waitFor();
		const text = await notice.innerText();
		expect(text.includes('Airtable') && text.includes('webhook') && text.includes('http-500'),
			'the failed notice is not shown with its recipient, channel and error: ' + text);
		await allLabelled();
		await notice.getByRole('button', { name: /Retry/ }).click();
		await page.getByRole('status').filter({ hasText: 'queued again' }).waitFor();
		await page.locator('#notices tr[data-recipient="airtable"][data-status="sent"]').waitFor();
		expect(/sent on/.test(await notice.innerText()), 'the notice is not shown sent with its time');
		const got = fs.readFileSync(path.join(hookVault, 'received', 'deliveries.jsonl'), 'utf8').trim().split('\n');
		expect(got.length === 1, 'the receiver did not get the notice once: ' + got.length);
		expect(!got[0].includes('ines.hook'), 'a value in the webhook body');
		// the outbox page lists nothing failed any more
		await page.getByRole('button', { name: 'Outbox' }).click();
		await page.getByRole('heading', { level: 1, name: 'Messages waiting or failed' }).waitFor();
		await page.locator('#ob-list').filter({ hasText: /No message waiting or failed|webflow/ }).waitFor();
		expect(!(await page.locator('#ob-list tr[data-status="failed"]').filter({ hasText: 'airtable' }).count()),
			'the retried notice is still listed failed');
		await page.goto(base + '/privacy/'); // back to the first vault for the checks that follow
	});
	await check('privacy-french', async () => {
		await page.getByRole('button', { name: 'Français' }).click();
		await page.getByRole('heading', { level: 1, name: 'Centre de confidentialité' }).waitFor();
		expect(await page.getAttribute('html', 'lang') === 'fr', 'html lang is not fr');
		await page.locator('#notice-body h2').first().waitFor();
	});
	// the four cookie banners, their receipts and GPC (cookies.mjs): their
	// own vault, server, site and browser contexts
	failures += await runCookieBanners(browser, BIN);
	await check('no-script-errors', async () => {
		expect(!pageErrors.length, pageErrors.slice(0, 3).join(' | '));
	});
}

try {
	await main();
} catch (e) {
	failures++;
	console.log(`FAILED setup: ${String(e && e.message || e).split('\n')[0]}`);
} finally {
	if (browser) await browser.close().catch(() => {});
	if (site) site.close();
	for (const p of [hookServer, hookd, mailServer, mailSmtpd, smtpd]) if (p && p.exitCode === null) p.kill('SIGTERM');
	if (server && server.exitCode === null) {
		const exited = new Promise(r => server.once('exit', r));
		server.kill('SIGTERM');
		await Promise.race([exited, new Promise(r => setTimeout(r, 5000))]);
		if (server.exitCode === null && server.signalCode === null) {
			server.kill('SIGKILL');
			console.log('FAILED server-stop: no exit 5 s after SIGTERM');
			failures++;
		}
	}
	fs.rmSync(vault, { recursive: true, force: true });
}
process.exit(failures ? 1 : 0);
