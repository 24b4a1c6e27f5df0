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
//
// After every check, axe-core (node_modules, locked in package-lock.json)
// audits the page as it stands; the last checks list every serious or
// critical violation found on any page, tour every back-office and public page
// at 1280x800 and 390x844 for horizontal scroll (layout-*.png), and a French
// session meets five different refusals of the server, each worded in French.
import { chromium } from 'playwright-core';
import { execFileSync, spawn } from 'node:child_process';
import crypto from 'node:crypto';
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
		if (page) await axeCheck(page, name);
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

/* RFC 6238 TOTP (HMAC-SHA1, 30 s, 6 digits) of a base32 secret at unix
   time `at`, computed here independently of the server */
function totp(secret, at = Date.now() / 1000) {
	const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
	let bits = '';
	for (const c of secret.replace(/[\s=]/g, '').toUpperCase())
		bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
	const key = Buffer.from(bits.match(/.{8}/g).map(b => parseInt(b, 2)));
	const msg = Buffer.alloc(8);
	msg.writeBigUInt64BE(BigInt(Math.floor(at / 30)));
	const mac = crypto.createHmac('sha1', key).update(msg).digest();
	const off = mac[mac.length - 1] & 15;
	return String((mac.readUInt32BE(off) & 0x7fffffff) % 1e6).padStart(6, '0');
}

/* the pasted-token sign-in, for machines: behind its disclosure (by the
   controls' ids: the same in a French session) */
async function tokenSignIn(tok, p = page) {
	await p.locator('#token-login summary').click();
	await p.locator('#token').fill(tok);
	await p.locator('#login-form button[type=submit]').click();
}

/* the account sign-in: name, passphrase and a code (6 TOTP digits or one
   of the recovery codes), by the controls' ids */
async function accountSignIn(p, name, passphrase, code) {
	await p.locator('#acc-name').fill(name);
	await p.locator('#acc-pass').fill(passphrase);
	await p.locator('#acc-code').fill(code);
	await p.locator('#account-form button[type=submit]').click();
}

/* a section of the back office's navigation: links, each a URL of its own */
const nav = name => page.locator('#nav').getByRole('link', { name, exact: true });

/* axe-core on a page as it stands: serious and critical violations kept in
   axeFindings (the last check lists them). Run through the DevTools
   protocol, which the pages' CSP (script-src 'self') does not cover */
const AXE = fs.readFileSync(path.join(HERE, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
const axeFindings = [];
let axeRuns = 0;
async function axeCheck(p, where) {
	const url = p.url();
	if (!/^http:\/\/127\.0\.0\.1:/.test(url)) return;
	if (!(await p.evaluate(() => typeof window.axe === 'object'))) await p.evaluate(AXE);
	const res = await p.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
	axeRuns++;
	for (const v of res.violations)
		if (v.impact === 'serious' || v.impact === 'critical')
			axeFindings.push(`${where} ${new URL(url).pathname}: ${v.id} (${v.impact}) at ` +
				v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '));
}

/* does the page scroll sideways? the elements that stick out, if so */
async function overflow(p) {
	return p.evaluate(() => {
		const w = window.innerWidth;
		if (document.scrollingElement.scrollWidth <= w) return null;
		const out = [...document.querySelectorAll('body *')].filter(n => n.getBoundingClientRect().right > w + 0.5)
			.slice(-3).map(n => n.tagName.toLowerCase() + (n.id ? '#' + n.id : '') +
				(n.className && typeof n.className === 'string' ? '.' + n.className.split(' ')[0] : ''));
		return `${document.scrollingElement.scrollWidth}px wide for ${w}: ${out.join(', ')}`;
	});
}

/* text in French only: none of the server's English, no flag, no JSON */
function frenchOnly(text, what) {
	expect(text && text.trim(), `${what}: nothing shown`);
	const english = /\b(the|is|not|this|your|needs|must|token|field|found|valid|request|error)\b/i.exec(text);
	expect(!english, `${what}: English in "${text}"`);
	expect(!/--|[{}"]|\bhttp_\d/.test(text), `${what}: a flag, JSON or a raw code in "${text}"`);
}

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
		if (req.url === '/axe-self-test') { // what axe must find: a field with no label, no language
			res.end('<!doctype html><html><head><title>x</title></head><body><main><input id="x"></main></body></html>');
			return;
		}
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
		// "sending" is shown in the same style: wait for the answer's own words
		const okText = await form.getAttribute('data-msg-ok');
		expect(okText && okText !== await form.getAttribute('data-msg-sending'), 'no words of its own for a sent form');
		await form.locator('.pdvault-status.pdvault-ok', { hasText: okText }).waitFor();
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
	let totpSecret = '';
	const PASSPHRASE = 'correct horse battery staple';
	let recovery = []; // ada's recovery codes, each signs in once (a new tab, the layout tour)
	await check('staff-enrol', async () => {
		// the invitation `staff add` prints when no relay is set
		const link = execFileSync(BIN, ['staff', 'add', 'ada', 'dpo', '--email', 'ada.dpo@example.org',
			'--public-url', base], { cwd: vault, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
		expect(/\/staff\/#enrol=/.test(link), 'no invitation link printed: ' + link);
		await page.goto(link);
		await page.getByRole('heading', { level: 1, name: 'Set up your account' }).waitFor();
		expect(!(await page.evaluate(() => location.hash)).includes('enrol'), 'the token stays in the address bar');
		await page.locator('#enrol-qr svg path').waitFor();
		totpSecret = (await page.locator('#enrol-secret').textContent()).replace(/\s/g, '');
		await page.screenshot({ path: path.join(ARTIFACTS, '06-staff-enrol-qr.png'), fullPage: true });
		await page.getByLabel('Choose a passphrase').fill('correct horse battery staple');
		await page.getByLabel('The passphrase again').fill('correct horse battery stapler');
		await page.getByLabel('The 6-digit code the app shows now').fill(totp(totpSecret));
		await page.getByRole('button', { name: 'Finish' }).click();
		await page.getByRole('status').filter({ hasText: 'The two passphrases differ' }).waitFor();
		await page.getByLabel('The passphrase again').fill('correct horse battery staple');
		await page.getByRole('button', { name: 'Finish' }).click();
		await page.getByRole('heading', { name: 'Your recovery codes' }).waitFor();
		recovery = (await page.locator('#enrol-codes li').allTextContents()).map(c => c.trim());
		expect(recovery.length === 10, 'not ten recovery codes');
		await allLabelled();
	});
	await check('staff-login', async () => {
		await page.getByRole('button', { name: 'Go to the sign-in' }).click();
		await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
		expect(await page.getByLabel('Account name').inputValue() === 'ada', 'the account name is not filled in');
		await page.getByLabel('Passphrase', { exact: true }).fill('correct horse battery staple');
		// the enrolment took this step's code: the next step's, which the server takes too
		await page.getByLabel('Code from the authenticator app').fill(totp(totpSecret, Date.now() / 1000 + 30));
		await page.getByRole('button', { name: 'Sign in', exact: true }).click();
		await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
		expect((await page.locator('#who').textContent()).includes('(DPO)'), 'role not shown as DPO');
		const cookies = await page.context().cookies();
		const c = cookies.find(x => x.name === 'pdv_session');
		expect(c && c.httpOnly && c.secure && c.sameSite === 'Strict',
			'the session cookie is not HttpOnly, Secure, SameSite=Strict: ' + JSON.stringify(c));
		expect(!(await page.evaluate(() => document.cookie)).includes('pdv_session'), 'the page script sees the cookie');
		expect(!(await page.evaluate(() => sessionStorage.getItem('pdv-token'))), 'a token kept for a session');
		await allLabelled();
	});
	await check('staff-tokens', async () => {
		// the dpo's page, in the nav, at a URL of its own
		await nav('API tokens').click();
		await page.waitForURL(u => new URL(u).pathname === '/staff/tokens');
		await page.getByRole('heading', { level: 1, name: 'API tokens' }).waitFor();
		expect(await page.locator('#nav [aria-current="page"]').textContent() === 'API tokens',
			'the nav does not mark API tokens');
		await page.locator('#tok-list tr').filter({ hasText: 'browser-test' }).waitFor();
		// the calendar feed's token, listed with what it reads (it has no role)
		cli('token', 'create', '--scope', 'calendar', '--name', 'phone-calendar');
		await page.reload();
		const cal = page.locator('#tok-list tr').filter({ hasText: 'phone-calendar' });
		await cal.waitFor();
		expect((await cal.innerText()).includes('calendar feed only'), 'the calendar token\'s scope is not said');
		// the role is one of those the declaration declares, by its name (then the dpo)
		const view = page.locator('#view-tokens');
		const offered = async () => (await view.getByLabel('Role', { exact: true }).locator('option:not([value=""])')
			.allTextContents()).map(o => o.trim()).join('|');
		expect(await offered() === 'Sales team|Training team|Recruitment team|IT team|DPO',
			'the roles offered: ' + await offered());
		await view.getByLabel('Name', { exact: true }).fill('ci-robot');
		await view.getByLabel('Role', { exact: true }).selectOption({ label: 'Sales team' });
		await page.getByRole('button', { name: 'Create' }).click();
		await page.locator('#tok-made').waitFor();
		const made = (await page.locator('#tok-value').textContent()).trim();
		expect(made.startsWith('pdv_'), 'no token shown once');
		const me = await fetch(base + '/v1/me', { headers: { Authorization: 'Bearer ' + made } });
		expect(me.ok, 'the token made on the page does not work');
		const row = page.locator('#tok-list tr').filter({ hasText: 'ci-robot' });
		// the role by the declaration's name for it, not its id
		await row.locator('td').nth(1).filter({ hasText: /^Sales team$/ }).waitFor();
		expect((await me.json()).role === 'sales', 'the token made on the page is not of the role sales');
		await row.getByRole('button', { name: /Revoke/ }).click();
		await page.getByRole('status').filter({ hasText: 'Token ci-robot revoked' }).waitFor();
		const after = await fetch(base + '/v1/me', { headers: { Authorization: 'Bearer ' + made } });
		expect(after.status === 401, 'the revoked token still works');
		await allLabelled();
	});
	await check('staff-tokens-fr', async () => {
		// in French: the roles by their French names, in the list and the list of tokens
		await page.getByRole('button', { name: 'Français' }).click();
		await page.getByRole('heading', { level: 1, name: 'Jetons d\u2019API' }).waitFor();
		const view = page.locator('#view-tokens');
		const offered = (await view.getByLabel('Rôle', { exact: true }).locator('option:not([value=""])')
			.allTextContents()).map(o => o.trim()).join('|');
		expect(offered === 'Équipe commerciale|Équipe formation|Recrutement|Équipe technique|DPO',
			'the roles offered in French: ' + offered);
		await page.locator('#tok-list tr').filter({ hasText: 'ci-robot' }).locator('td').nth(1)
			.filter({ hasText: /^Équipe commerciale$/ }).waitFor();
		await view.getByLabel('Nom', { exact: true }).fill('ci-recrutement');
		await view.getByLabel('Rôle', { exact: true }).selectOption({ label: 'Recrutement' });
		await page.getByRole('button', { name: 'Créer' }).click();
		const row = page.locator('#tok-list tr').filter({ hasText: 'ci-recrutement' });
		// listed once made: the token shown is this one, not the one made before
		await row.locator('td').nth(1).filter({ hasText: /^Recrutement$/ }).waitFor();
		const made = (await page.locator('#tok-value').textContent()).trim();
		const me = await fetch(base + '/v1/me', { headers: { Authorization: 'Bearer ' + made } });
		expect(me.ok && (await me.json()).role === 'hr', 'the token made in French is not of the role hr');
		await allLabelled();
		// back in English, the same token's role by its English name
		await page.getByRole('button', { name: 'English' }).click();
		await row.locator('td').nth(1).filter({ hasText: /^Recruitment team$/ }).waitFor();
		await row.getByRole('button', { name: /Revoke/ }).click();
		await page.getByRole('status').filter({ hasText: 'Token ci-recrutement revoked' }).waitFor();
	});
	// the checks that follow are in English, whatever became of the one above
	if (await page.locator('html[lang="fr"]').count()) await page.getByRole('button', { name: 'English' }).click();
	await check('staff-search', async () => {
		await nav('People').click();
		await page.getByLabel('Email address', { exact: true }).fill(EMAIL);
		await page.getByRole('button', { name: 'Search' }).click();
		// one person found: their page, at their URL
		const recs = page.locator('#person article.pp-record');
		await page.waitForURL(/\/staff\/subjects\/[^/]+$/);
		await recs.first().waitFor();
		expect(await recs.count() === 2, 'not the contact and newsletter records');
		const rec = recs.filter({ hasText: EMAIL }).first();
		expect((await rec.textContent()).includes('Next step'), 'no next step');
		expect(await page.locator('article.record').count() === 0, 'the records shown twice');
		await allLabelled();
	});
	let firstDue = '';
	await check('staff-open-request', async () => {
		await nav('Requests').click();
		await page.getByLabel('Kind of request').selectOption('access');
		await page.getByLabel('Email address of the person').fill(EMAIL);
		await page.getByRole('button', { name: 'Open the request' }).click();
		await page.getByRole('status').filter({ hasText: /Request \S+ opened/ }).waitFor();
		await page.locator('#req-panel').waitFor();
		firstDue = await page.locator('#req-info dd').nth(3).textContent();
		await allLabelled();
	});
	await check('staff-request-page-in-words', async () => {
		// named by its reference, the channel in words, the person a link to their page
		const ref = await page.locator('#req-info dd.reference').innerText();
		const heading = await page.locator('#req-panel-h').innerText();
		expect(heading === `Request ${ref}`, `the heading is not the reference ${ref}: ${heading}`);
		const info = await page.locator('#req-info').innerText();
		expect(info.includes('entered by staff (back office or API)') && !/\bapi\b|\b[qs][A-Za-z0-9_-]{22}\b/.test(info),
			'a raw channel or id on the request page: ' + info);
		await page.locator('#req-person').click();
		await page.waitForURL(u => new URL(u).pathname.startsWith('/staff/subjects/s'));
		await page.locator('#person-requests').filter({ hasText: ref }).waitFor();
		await page.goBack();
		await page.locator('#req-panel-h', { hasText: ref }).waitFor();
	});
	await check('staff-dashboard', async () => {
		await nav('Dashboard').click();
		const row = page.locator('#dash-requests tbody tr').filter({ hasText: 'Access to my data' });
		await row.waitFor();
		expect(/\d+ d/.test(await row.textContent()), 'no days left');
		// four for every role, and the two breach cards for the dpo
		expect(await page.locator('#dash-cards .card').count() === 6, 'summary cards missing');
		// requests by their reference, activities and phases by their names: no raw id
		const ids = /\b[qs][A-Za-z0-9_-]{22}\b|\b[a-z]+(-[a-z]+)+\b/;
		for (const part of ['#dash-requests', '#dash-ending', '#dash-phases'])
			expect(!ids.test(await page.locator(part).innerText()), `a raw id in ${part}: ` + await page.locator(part).innerText());
		await row.getByRole('link', { name: /Handle/ }).click();
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
		// asked first (a close cannot be undone); Cancel leaves it open
		await page.getByRole('button', { name: 'Close the request' }).click();
		await page.getByRole('alertdialog').getByRole('button', { name: 'Cancel' }).click();
		expect(!(await page.getByRole('alertdialog').count()), 'the question stays after Cancel');
		expect((await page.locator('#req-info').innerText()).includes('open'), 'closed without confirming');
		await page.getByRole('button', { name: 'Close the request' }).click();
		const q = await page.getByRole('alertdialog').innerText();
		expect(/Close the "Access to my data \(Art\. 15\)" request as answered\?.*cannot be undone/.test(q), 'no question: ' + q);
		await page.getByRole('alertdialog').getByRole('button', { name: 'Confirm' }).click();
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
		await nav('Requests').click();
		await page.getByLabel('Kind', { exact: true }).selectOption('erasure');
		await page.getByRole('button', { name: 'Filter' }).click();
		await page.waitForURL(u => new URL(u).search === '?kind=erasure');
		const row = page.locator(`#rq-table tr[data-request="${erasureReq}"]`);
		await row.getByRole('link').click();
		await page.waitForURL(u => new URL(u).pathname === '/staff/requests/' + erasureReq);
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
	/* an erasure answered while a legal hold keeps the person's record: the
	   result and, on coming back, the request's page say what was kept and
	   why, not "erased" */
	await check('staff-erasure-kept-by-a-hold', async () => {
		const subj = cli('collect', 'contact', 'last_name=Roe', 'first_name=Kim',
			'email=kim.roe@example.org', 'message=in dispute', '--consent').subject;
		execFileSync(BIN, ['hold', subj, '--reason', 'a claim at the labour court'], { cwd: vault, stdio: 'ignore' });
		const req = cli('request', 'open', 'erasure', '--subject', subj).request;
		await page.goto(base + '/staff/requests/' + req);
		await page.getByRole('button', { name: 'See what will be erased' }).click();
		page.once('dialog', d => d.accept());
		await page.getByRole('button', { name: 'Confirm the erasure' }).click();
		const result = await page.locator('#rq-result').innerText();
		expect(/0 record\(s\) erased\. 1 record\(s\) kept/.test(result), 'the result hides what was kept: ' + result);
		const issues = () => cli('audit', 'log').entries.filter(e => e.action === 'certificate-issue').length;
		const before = issues();
		await page.reload();
		const kept = page.locator('#rq-kept li');
		await kept.first().waitFor();
		const text = await page.locator('#rq-outcome').innerText();
		expect(/Contact.*: 1 record\(s\) — legal hold for a claim \(Art\. 17\(3\)\(e\)\)/.test(text),
			'what was kept and why not said: ' + text);
		expect(text.includes('Nothing was erased'), 'said erased: ' + text);
		await page.reload();
		await kept.first().waitFor();
		expect(issues() === before, 'looking at the answered erasure re-issued its certificate');
		// the signed certificate, on demand: that download is the issue logged
		const [dl] = await Promise.all([page.waitForEvent('download'),
			page.getByRole('button', { name: 'Download the signed deletion certificate' }).click()]);
		expect(/^deletion-certificate-d.*\.json$/.test(dl.suggestedFilename()),
			'the certificate file name: ' + dl.suggestedFilename());
		const cert = JSON.parse(fs.readFileSync(await dl.path(), 'utf8'));
		expect(cert.algorithm === 'Ed25519' && cert.certificate.kept[0].why === 'hold',
			'not the signed certificate of this erasure: ' + JSON.stringify(cert));
		await page.getByRole('status').filter({ hasText: 'Certificate downloaded' }).waitFor();
		expect(issues() === before + 1, 'the download is not on the audit log as an issue');
		const info = await page.locator('#req-info').innerText();
		expect(!info.includes('erased'), 'the request says the person was erased: ' + info);
		await page.locator('#req-person').waitFor();
	});
	/* a rectification asked through the API shows what to rectify */
	await check('staff-rectification-asked', async () => {
		const subj = cli('find', '--email', EMAIL).subjects[0];
		const req = cli('request', 'open', 'rectification', '--subject', subj,
			'--field', 'last_name=Lovelace-King').request;
		cli('request', 'note', req, 'asked by phone');
		await nav('Requests').click();
		await page.locator(`#rq-table tr[data-request="${req}"]`).getByRole('link').click();
		await page.locator('#rq-rectify').filter({ hasText: 'Lovelace-King' }).waitFor();
		await page.locator('#rq-timeline li[data-what="note"]').filter({ hasText: 'asked by phone' }).waitFor();
	});
	await check('staff-person-page-dpo', async () => {
		await nav('People').click();
		await page.getByLabel('Email address', { exact: true }).fill(EMAIL);
		await page.getByRole('button', { name: 'Search' }).click();
		await page.locator('#person-h').waitFor();
		for (const a of ['restriction', 'erasure', 'erase.now', 'export'])
			expect(await page.locator(`#person-actions [data-action="${a}"]`).count() === 1, 'no action ' + a);
		expect(await page.locator('#person article.pp-record [data-action="rectify"]').count() === 2,
			'no rectification on each record');
		expect(await page.locator('#pp-hold-form [data-action="hold"]').count() === 1, 'no hold form');
		expect((await page.locator('#person-held').innerText()).includes('request'), 'not said held by the request');
		const next = await page.locator('#person .pp-next').allInnerTexts();
		expect(next.length && next.every(x => !/\d{4}-\d\d-\d\d/.test(x)), 'a next step\'s date not in words: ' + next);
		// the audit trail in words: who (the account, not staff:NAME), what, when
		await page.locator('#person-audit li').first().waitFor();
		const trail = await page.locator('#person-audit').innerText();
		for (const raw of ['holds-read', 'consents-read', 'request-open', 'staff:', 'api:'])
			expect(!trail.includes(raw), `the audit trail shows "${raw}": ${trail}`);
		expect(/data collected/.test(trail) && /request opened/.test(trail) && /reasons for the holds read/.test(trail),
			'the audit trail does not say what was done: ' + trail);
		expect(/\b20\d\d\b/.test(trail) && /January|February|March|April|May|June|July|August|September|October|November|December/.test(trail),
			'the audit trail\'s dates are not in words: ' + trail);
		await page.locator('#person-audit').screenshot({ path: path.join(ARTIFACTS, 'person-audit-trail.png') });
	});
	await check('staff-person-page-sales', async () => {
		const sales = cli('token', 'create', 'sales', '--name', 'browser-sales').token;
		const p2 = await browser.newPage();
		try {
			await p2.goto(base + '/staff/');
			await tokenSignIn(sales, p2);
			await p2.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
			const who = await p2.locator('#who').textContent();
			expect(who.includes('(Sales team)') && !who.includes('(sales)'), 'the role shown by its id: ' + who);
			await p2.locator('#nav').getByRole('link', { name: 'People', exact: true }).click();
			await p2.getByLabel('Email address', { exact: true }).fill(EMAIL);
			await p2.getByRole('button', { name: 'Search' }).click();
			await p2.locator('#person-h').waitFor();
			// sales exports, and corrects the records it works with (docs/server.md);
			// restriction, erasure, objection and holds are the dpo's
			expect(await p2.locator('#person-actions [data-action]').count() === 1, 'sales is offered more than the export');
			const recs = await p2.locator('#person article.pp-record').count();
			expect(recs >= 1 && await p2.locator('#person article.pp-record [data-action="rectify"]').count() === recs,
				'sales is not offered the rectification of its records');
			expect(await p2.locator('#person [data-action]').count() === 1 + recs, 'sales is offered an objection or a hold');
			expect(!(await p2.locator('#pp-hold-form, #person-holds').count()), 'sales sees the holds');
			await p2.locator('#person-consent-history tr[data-what="granted"]').first().waitFor();
			expect(!(await p2.locator('#person-audit').count()), 'sales sees the audit trail');
			await p2.screenshot({ path: path.join(ARTIFACTS, 'person-page-sales.png'), fullPage: true });
			const rec = p2.locator('#person article.pp-record').filter({ has: p2.locator('dd[data-field="message"]') }).first();
			await rec.locator('select').selectOption('message');
			await rec.getByLabel('New value').fill('Please call me back about the AI training.');
			await rec.getByRole('button', { name: 'Rectify' }).click();
			await p2.getByRole('alertdialog').getByRole('button', { name: 'Confirm' }).click();
			await p2.getByRole('status').filter({ hasText: 'Record rectified.' }).waitFor();
			await p2.locator('#person dd[data-field="message"]').filter({ hasText: 'the AI training' }).waitFor();
			const by = cli('audit', 'log').entries.filter(e => e.action === 'rectify').map(e => e.actor);
			expect(by.includes('api:browser-sales'), 'not audited under the sales token: ' + by);
			// a dpo page named by its URL (a shared link): the dashboard and why, not a form refused
			await p2.goto(base + '/staff/breaches');
			await p2.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
			await p2.locator('#status').filter({ hasText: 'This page is the DPO\u2019s' }).waitFor();
			expect(await p2.locator('#view-breaches').isHidden(), 'the breach register is shown to sales');
			expect(!/role dpo|not allow/.test(await p2.locator('#status').innerText()), 'a refusal shown instead');
		} finally {
			await p2.close();
		}
	});
	/* a person's page a DPO acts from: found by phone, then by a request's
	   reference; a hold placed with its reason and lifted, a field rectified,
	   the processing restricted and the restriction lifted, each confirmed in
	   the page; the consent history with its proof */
	let phoned = null;
	const confirmHere = async () => {
		await page.getByRole('alertdialog').waitFor();
		await page.getByRole('alertdialog').getByRole('button', { name: 'Confirm' }).click();
	};
	await check('staff-person-search-phone', async () => {
		phoned = cli('collect', 'appointment', '--consent', 'name=Ada Phone-Test',
			'email=ada.phone-test@example.org', 'phone=06 98 76 54 32');
		await nav('People').click();
		await page.getByLabel('Search by').selectOption('phone');
		await page.getByLabel('Phone number', { exact: true }).fill('+33 6 98 76 54 32');
		await page.getByRole('button', { name: 'Search' }).click();
		await page.waitForURL(u => new URL(u).pathname === '/staff/subjects/' + phoned.subject);
		await page.locator('#person-h').filter({ hasText: 'Ada Phone-Test' }).waitFor();
		await allLabelled();
	});
	await check('staff-person-search-reference', async () => {
		const q = cli('request', 'open', 'access', '--subject', phoned.subject);
		await nav('People').click();
		await page.waitForURL(u => new URL(u).pathname === '/staff/subjects');
		await page.getByLabel('Search by').selectOption('reference');
		await page.getByLabel('Request reference', { exact: true }).fill(q.reference.toLowerCase());
		await page.getByRole('button', { name: 'Search' }).click();
		await page.waitForURL(u => new URL(u).pathname === '/staff/subjects/' + phoned.subject);
		await page.locator('#person-requests').filter({ hasText: q.reference }).waitFor();
	});
	await check('staff-person-hold', async () => {
		await page.getByLabel('Reason for the hold').fill('Dispute before the labour court, case 26/0142');
		await page.getByRole('button', { name: 'Place a hold' }).click();
		await confirmHere();
		await page.getByRole('status').filter({ hasText: 'Hold placed.' }).waitFor();
		const row = page.locator('#person-holds tr[data-state="in-force"]');
		await row.filter({ hasText: 'case 26/0142' }).waitFor();
		expect(/\bada\b|API token "/.test(await row.innerText()) && !/staff:|api:/.test(await row.innerText()),
			'who placed it is not shown by name: ' + await row.innerText());
		expect((await page.locator('#person-held').innerText()).includes('legal hold'), 'not said held');
		await page.screenshot({ path: path.join(ARTIFACTS, 'person-hold-placed.png'), fullPage: true });
		await row.getByRole('button', { name: 'Lift the hold' }).click();
		await confirmHere();
		await page.getByRole('status').filter({ hasText: 'Hold lifted.' }).waitFor();
		await page.locator('#person-holds tr[data-state="lifted"]').filter({ hasText: /lifted on/ }).waitFor();
		expect(!(await page.locator('#person-holds tr[data-state="in-force"]').count()), 'the hold is still in force');
	});
	await check('staff-person-rectify', async () => {
		const rec = page.locator(`#person article.pp-record[data-record="${phoned.record}"]`);
		await rec.locator('select').selectOption('name');
		await rec.getByLabel('New value').fill('Ada Lovelace-Phone');
		await rec.getByRole('button', { name: 'Rectify' }).click();
		await confirmHere();
		await page.getByRole('status').filter({ hasText: 'Record rectified.' }).waitFor();
		await page.locator(`#person article.pp-record[data-record="${phoned.record}"] dd[data-field="name"]`)
			.filter({ hasText: 'Ada Lovelace-Phone' }).waitFor();
		await page.locator('#person-h').filter({ hasText: 'Ada Lovelace-Phone' }).waitFor();
		const shown = cli('show', phoned.subject).records[0].fields.name;
		expect(shown === 'Ada Lovelace-Phone', 'the vault does not hold the new value');
	});
	await check('staff-person-restrict', async () => {
		await page.locator('#person-actions [data-action="restriction"]').click();
		await confirmHere();
		await page.getByRole('status').filter({ hasText: 'Processing restricted.' }).waitFor();
		expect((await page.locator('#person-held').innerText()).includes('restricted'), 'not said restricted');
		await page.screenshot({ path: path.join(ARTIFACTS, 'person-restricted.png'), fullPage: true });
		await page.locator('#person-actions [data-action="restriction"]').filter({ hasText: 'Lift the restriction' }).click();
		await confirmHere();
		await page.getByRole('status').filter({ hasText: 'Restriction lifted.' }).waitFor();
	});
	await check('staff-person-object', async () => {
		// an application (legitimate interests): Art. 21 applies to it, not to the appointment
		const applied = cli('collect', 'recruitment', 'last_name=Phone-Test', 'first_name=Ada',
			'email=ada.phone-test@example.org');
		expect(applied.subject === phoned.subject, 'not the same person');
		await page.reload();
		const art = page.locator(`#person article.pp-record[data-record="${applied.record}"]`);
		await art.getByRole('button', { name: 'Objection (Art. 21)' }).click();
		await confirmHere();
		await page.getByRole('status').filter({ hasText: 'Objection recorded: 0 record(s) ended, 1 restricted, 0 kept.' }).waitFor();
		await page.locator(`#person article.pp-record[data-record="${applied.record}"]`)
			.filter({ hasText: 'restricted (kept, not used)' }).waitFor();
		expect(!(await page.locator(`#person article.pp-record[data-record="${phoned.record}"] [data-action="object"]`).count()),
			'an objection offered where Art. 21 does not apply');
	});
	await check('staff-person-consent-history', async () => {
		const row = page.locator('#person-consent-history tr[data-what="granted"]');
		await row.first().waitFor();
		const text = await row.first().innerText();
		expect(text.includes('given') && text.includes('entered by staff') && text.includes('text 2025-01'),
			'the grant and its proof are not in words: ' + text);
		// the proof's record by its activity's name, not by its id
		const activity = await row.first().locator('td').first().innerText();
		expect(text.includes(`the “${activity}” record`), 'the proof does not name the record by its activity: ' + text);
		for (const id of await page.locator('#person article.pp-record').evaluateAll(a => a.map(n => n.dataset.record)))
			expect(!text.includes(id), 'a record id in the proof: ' + text);
		const audit = cli('audit', 'log').entries.filter(e => e.subject === phoned.subject)
			.map(e => `${e.actor} ${e.action}`);
		for (const a of ['hold', 'hold-lift', 'rectify', 'restrict', 'restrict-lift', 'object'])
			expect(audit.some(x => x.endsWith(' ' + a) && !x.startsWith('cli')), `${a} not audited under the account: ${audit}`);
	});
	await check('staff-register', async () => {
		await nav('Documents').click();
		const [dl] = await Promise.all([page.waitForEvent('download'),
			page.getByRole('button', { name: 'Download the register' }).click()]);
		expect(/\.html$/.test(dl.suggestedFilename()), 'unexpected file ' + dl.suggestedFilename());
		/* the workbook a DPO opens in Excel: a zip, saved as an artifact */
		await page.locator('#reg-format').selectOption('xlsx');
		const [xl] = await Promise.all([page.waitForEvent('download'),
			page.getByRole('button', { name: 'Download the register' }).click()]);
		expect(xl.suggestedFilename() === 'register.xlsx', 'unexpected file ' + xl.suggestedFilename());
		const xfile = path.join(ARTIFACTS, 'register.xlsx');
		await xl.saveAs(xfile);
		expect(fs.readFileSync(xfile).subarray(0, 4).toString('binary') === 'PK\x03\x04', 'not a zip');
		expect(await page.getByRole('link', { name: 'Privacy notice (English)' }).count() === 1, 'no notice link');
	});
	await check('staff-dossier', async () => {
		await page.getByLabel('From', { exact: true }).fill('2026-01-01');
		await page.getByLabel('To (included)').fill('2099-12-31');
		const [dl] = await Promise.all([page.waitForEvent('download'),
			page.getByRole('button', { name: 'Download the dossier' }).click()]);
		expect(dl.suggestedFilename() === 'dossier-2026-01-01-2099-12-31.html',
			'unexpected file ' + dl.suggestedFilename());
		const html = fs.readFileSync(await dl.path(), 'utf8');
		expect(html.includes('data-section="requests"') && html.includes('data-chain="ok"'),
			'not the dossier');
		await allLabelled();
	});

	/* a time some hours ago, in the local time a datetime-local field takes */
	const localAgo = hours => {
		const d = new Date(Date.now() - hours * 3600e3), p2 = n => String(n).padStart(2, '0');
		return `${d.getFullYear()}-${p2(d.getMonth() + 1)}-${p2(d.getDate())}T${p2(d.getHours())}:${p2(d.getMinutes())}`;
	};
	/* the register lists; each breach is worked on its page (breach.js) */
	const bp = page.locator('#breach-page');
	const confirm = async form => {
		await bp.locator(form).getByRole('alertdialog').waitFor();
		await bp.locator(form).getByRole('button', { name: 'Confirm' }).click();
	};
	const openBreachRow = async row => {
		await row.getByRole('link', { name: /^Open/ }).click();
		await page.waitForURL(/\/staff\/breaches\/[^/]+$/);
		await bp.getByRole('heading', { level: 1, name: /^Breach / }).waitFor();
	};
	await check('staff-breach', async () => {
		await nav('Breaches').click();
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
		expect((await row.textContent()).includes('people to tell'), 'the people to tell not flagged');
		await allLabelled();
		// told in time, on the breach's page
		await openBreachRow(row);
		await bp.getByRole('button', { name: 'Record the notification to the authority' }).click();
		await confirm('#bp-authority');
		await page.getByRole('status').filter({ hasText: 'Notification to the authority recorded.' }).waitFor();
		await bp.locator('#bp-timeline').getByText('Authority notified').waitFor();
		expect(!(await bp.locator('#bp-timeline').textContent()).includes('late'), 'told in time, shown late');
		// back in the register: told, the people still to be told
		await page.goBack();
		await page.getByRole('heading', { level: 1, name: 'Breaches' }).waitFor();
		await row.getByText(/^told on/).waitFor();
		expect((await row.textContent()).includes('to do'), 'the people are not shown still to be told');
	});
	await check('staff-breach-assess', async () => {
		const row = page.locator('#br-list tbody tr').filter({ hasText: 'laptop' });
		await openBreachRow(row);
		await bp.getByLabel('Risk to the people').selectOption('unlikely');
		await bp.getByLabel('Reasons for the assessment').fill('The disk was encrypted.');
		await bp.getByRole('button', { name: 'Record the assessment' }).click();
		await confirm('#bp-assess');
		await page.getByRole('status').filter({ hasText: 'Assessment recorded.' }).waitFor();
		await bp.locator('#bp-timeline').getByText(/Risk assessed: unlikely/).waitFor();
		expect(await bp.locator('#bp-people').count() === 0, 'the people still to be told after an "unlikely" assessment');
		await nav('Breaches').click();
		await row.getByText(/^unlikely/).waitFor();
		expect(!(await row.textContent()).includes('to do'), 'the people still to be told in the register');
	});

	/* a breach's page (web/staff/breach.js): recorded, assessed high, described
	   (Art. 33(3)), the authority told late with its reasons and reference, then
	   the people; the timeline shows each step and "late" */
	await check('staff-breach-page', async () => {
		await nav('Breaches').click();
		await page.getByLabel('Aware since').fill(localAgo(80));
		await page.getByLabel(/^What happened/).fill('A supplier emailed our client list to a third party.');
		await page.getByRole('button', { name: 'Record the breach' }).click();
		const row = page.locator('#br-list tbody tr').filter({ hasText: 'supplier' });
		await row.waitFor();
		expect((await row.textContent()).includes('overdue'), 'not flagged overdue in the register');
		expect((await row.textContent()).split('overdue').length === 2, 'the register says "overdue" more than once');
		await openBreachRow(row);
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
		// a status said in English before the switch is not left on the French page
		const status = (await page.locator('#status').textContent()) || '';
		if (status.trim()) frenchOnly(status, 'the status after the switch');
		await page.getByRole('button', { name: 'English' }).click();
		await bp.getByRole('heading', { level: 1, name: /^Breach / }).waitFor();
	});

	/* ---- (b2) every view has a URL: back, forward, reload, a shared link ---- */
	let sharedUrl = '';
	await check('staff-urls-back-forward', async () => {
		await nav('Requests').click();
		await page.waitForURL(u => new URL(u).pathname === '/staff/requests');
		// a filter is in the URL, in place (no history entry)
		await page.getByLabel('Status', { exact: true }).selectOption('all');
		await page.getByRole('button', { name: 'Filter' }).click();
		await page.waitForURL(u => new URL(u).search === '?status=all');
		const row = page.locator('#rq-table tbody tr').first();
		await row.getByRole('link', { name: /^Open/ }).click();
		await page.waitForURL(/\/staff\/requests\/[^/?]+$/);
		await page.locator('#req-panel-h[data-request]').waitFor(); // loaded: named by its reference
		const heading = await page.locator('#req-panel-h').textContent();
		sharedUrl = page.url();
		await page.goBack();
		await page.waitForURL(u => new URL(u).pathname === '/staff/requests');
		await page.locator('#req-panel').waitFor({ state: 'hidden' });
		await page.locator('#rq-table').waitFor();
		expect(await page.locator('#rq-status').inputValue() === 'all', 'the filter is lost going back');
		await page.goForward();
		await page.waitForURL(sharedUrl);
		await page.locator('#req-panel').waitFor();
		await page.locator('#req-panel-h', { hasText: heading }).waitFor();
		// a reload shows the same view; its link back keeps the list's filter
		await page.reload();
		await page.locator('#req-panel-h', { hasText: heading }).waitFor();
		expect(await page.getByRole('heading', { level: 1, name: heading }).isVisible(), 'not the request\'s page');
		expect(await page.locator('#nav [aria-current="page"]').textContent() === 'Requests', 'the nav does not mark Requests');
	});
	await check('staff-url-shared-link', async () => {
		// another browser: not signed in there; the sign-in shows at the
		// link's URL, and the link's view comes once signed in with the account
		const id = new URL(sharedUrl).pathname.split('/').pop();
		const elsewhere = await browser.newContext({ locale: 'en-GB' });
		try {
			const other = await elsewhere.newPage();
			other.on('pageerror', e => pageErrors.push(e.message));
			await other.goto(sharedUrl);
			await other.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
			expect(other.url() === sharedUrl, 'the URL changed on showing the sign-in');
			await axeCheck(other, 'staff-url-shared-link sign-in');
			await accountSignIn(other, 'ada', PASSPHRASE, recovery[0]);
			await other.locator(`#req-panel-h[data-request="${id}"]`).waitFor();
			expect(other.url() === sharedUrl, 'the URL changed on signing in');
			expect(await other.locator('#view-login').isHidden(), 'the sign-in still shown');
			await axeCheck(other, 'staff-url-shared-link');
		} finally {
			await elsewhere.close();
		}
		// a tab opened later in the signed-in browser: the session's, at once
		const tab = await page.context().newPage();
		try {
			tab.on('pageerror', e => pageErrors.push(e.message));
			await tab.goto(sharedUrl);
			await tab.locator(`#req-panel-h[data-request="${id}"]`).waitFor();
			expect((await tab.locator('#who').textContent()).includes('ada'), 'not signed in as ada');
		} finally {
			await tab.close();
		}
	});
	await check('staff-dashboard-cards-lead-to-what-they-count', async () => {
		// a request and a breach still to handle, for the next deadlines
		cli('request', 'open', 'rectification', '--email', EMAIL);
		cli('breach', 'open', '--aware', new Date(Date.now() - 7200e3).toISOString().replace(/\.\d+Z$/, 'Z'),
			'--summary', 'A shared folder found open to the internet.');
		await nav('Dashboard').click();
		await page.waitForURL(u => new URL(u).pathname === '/staff/');
		await page.getByRole('link', { name: /Overdue requests/ }).click();
		await page.waitForURL(u => new URL(u).pathname === '/staff/requests' && new URL(u).search === '?status=overdue');
		await page.locator('#rq-filters').waitFor();
		expect(await page.locator('#rq-status').inputValue() === 'overdue', 'not filtered overdue');
		await page.goBack();
		await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
		await page.getByRole('link', { name: /Breaches not reported/ }).click();
		await page.getByRole('heading', { level: 1, name: 'Breaches' }).waitFor();
		await page.goBack();
		// the next deadlines: the requests' and the breaches', each leading to its page
		const deadlines = page.locator('#dash-deadlines tbody tr');
		await deadlines.first().waitFor();
		const text = await page.locator('#dash-deadlines').innerText();
		expect(/Request \S+ \(/.test(text), 'no request deadline: ' + text);
		const breach = page.locator('#dash-deadlines a', { hasText: /^Breach/ }).first();
		await breach.click();
		await page.waitForURL(/\/staff\/breaches\/[^/]+$/);
		const id = decodeURIComponent(new URL(page.url()).pathname.split('/').pop());
		await page.locator('#bp-id', { hasText: id }).waitFor();
		expect(/Breach known since \d+ \w+ 20\d\d/.test(await page.locator('#bp-h').innerText()),
			'the breach is not named by when it became known: ' + await page.locator('#bp-h').innerText());
		await page.locator('#bp-timeline').getByText('Became aware of the breach').waitFor();
		// the card of breaches whose people are still to be told leads to the register
		await page.goBack();
		await page.getByRole('link', { name: /people to tell/ }).click();
		await page.getByRole('heading', { level: 1, name: 'Breaches' }).waitFor();
		// the declaration's card leads to its check: this vault's declaration has nothing to fix
		await page.goBack();
		await page.getByRole('link', { name: /Errors in the declaration/ }).click();
		await page.waitForURL(u => new URL(u).pathname === '/staff/declaration');
		await page.getByRole('heading', { level: 1, name: 'Declaration check' }).waitFor();
		await page.locator('#lint-view').getByText('Nothing to fix').waitFor();
	});
	/* a date the store should never hold (a damaged or tampered store: the
	   server sends its marker, 9999-99-99..., or null days left): the
	   dashboard and the breach's page still show, the date as it is */
	await check('staff-a-date-that-is-no-date', async () => {
		const req = cli('request', 'open', 'access', '--email', EMAIL);
		const br = cli('breach', 'open', '--aware', new Date(Date.now() - 1800e3).toISOString().replace(/\.\d+Z$/, 'Z'),
			'--summary', 'A laptop left on a train.');
		const damage = (due, at) => execFileSync('/usr/bin/python3', ['-c',
			'import sqlite3, sys; db = sqlite3.connect(sys.argv[1], timeout=10); ' +
			'db.execute("UPDATE requests SET due = ? WHERE reference = ?", (sys.argv[2], sys.argv[3])); ' +
			'db.execute("UPDATE breaches SET authority_due = ? WHERE id = (SELECT max(id) FROM breaches)", (int(sys.argv[4]),)); ' +
			'db.commit()', path.join(vault, 'pdvault.db'), due, req.reference, String(at)]);
		// 10000-01-01T00:00:00Z, a second past what a time is printed as
		damage('9999-99-99', 253402300800);
		try {
			await nav('Dashboard').click();
			await page.waitForURL(u => new URL(u).pathname === '/staff/');
			const row = page.locator('#dash-deadlines tbody tr', { hasText: '9999-99-99T99:99:99Z' }).first();
			await row.waitFor();
			expect((await row.innerText()).includes('—'), 'a count of hours for no date: ' + await row.innerText());
			const mine = page.locator('#dash-deadlines tbody tr', { hasText: req.reference });
			if (await mine.count())
				expect((await mine.first().innerText()).includes('—'), 'days left for no date: ' + await mine.first().innerText());
			await page.goto(`${base}/staff/breaches/${encodeURIComponent(br.breach)}`);
			await page.locator('#bp-timeline').getByText('9999-99-99T99:99:99Z').first().waitFor();
			await page.goto(`${base}/staff/requests?status=open`);
			const line = page.locator('tr', { hasText: req.reference });
			await line.first().waitFor();
			expect(!/\bnull\b|NaN|Invalid/.test(await line.first().innerText()), 'the request\'s row: ' + await line.first().innerText());
		} finally {
			damage(req.due, Math.floor(new Date(br.authority_due) / 1000));
		}
	});
	/* the declaration's check as a DPO reads it: a vault on the uncorrected
	   example (errors and warnings), its card leading to the findings, each
	   with the activity by name, the law and the fix; as many as `pdvault lint` */
	await check('staff-declaration-check', async () => {
		const lintVault = path.join(vault, 'lint'), port4 = await freePort(), base4 = `http://127.0.0.1:${port4}`;
		fs.mkdirSync(lintVault);
		fs.copyFileSync(path.join(ROOT, 'examples', 'alegria.yaml'), path.join(lintVault, 'pdvault.yaml'));
		execFileSync(BIN, ['init'], { cwd: lintVault, stdio: 'ignore' });
		const run4 = (...args) => { try { return JSON.parse(execFileSync(BIN, ['--json', ...args], { cwd: lintVault, encoding: 'utf8' })); }
			catch (e) { return JSON.parse(e.stdout); } };
		const want = run4('lint').summary;
		const dpo4 = run4('token', 'create', 'dpo', '--name', 'dpo-lint').token;
		const srv4 = spawn(BIN, ['serve', '--listen', `127.0.0.1:${port4}`, '--rate', '0'],
			{ cwd: lintVault, stdio: ['ignore', 'ignore', 'ignore'] });
		const p4 = await browser.newPage({ locale: 'en-GB' });
		try {
			await waitHealthy(base4);
			await p4.goto(base4 + '/staff/');
			await tokenSignIn(dpo4, p4);
			await p4.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
			await p4.getByRole('link', { name: /Errors in the declaration/ }).click();
			await p4.waitForURL(u => new URL(u).pathname === '/staff/declaration');
			await p4.locator('#lint-sum', { hasText: `${want.errors} error(s), ${want.warnings} warning(s) in pdvault.yaml` }).waitFor();
			expect(want.errors > 0, 'the uncorrected example has no error');
			expect(await p4.locator('#lint-error + table tbody tr').count() === want.errors, 'not every error listed');
			expect(await p4.locator('#lint-warning + table tbody tr').count() === want.warnings, 'not every warning listed');
			const about = await p4.locator('table.lint tbody td:nth-child(2)').allInnerTexts();
			expect(about.some(a => a !== 'the whole declaration'), 'no finding names its activity');
			for (const a of about)
				expect(!/^[a-z0-9-]+$/.test(a), 'an activity shown by its id: ' + a);
			// each finding titled by its rule, with the linter's message and fix under it
			// imported from its text: nothing tells Node that web/'s .js files are
			// modules, and Debian 12's Node (18) does not guess it as newer ones do
			const i18n = fs.readFileSync(path.join(ROOT, 'web', 'i18n.js'));
			const { LINT_RULES } = await import('data:text/javascript;base64,' + i18n.toString('base64'));
			const findings = run4('lint').findings, first = findings.find(f => f.severity === 'error');
			const rows = p4.locator('table.lint tbody tr');
			const titles = async () => Promise.all((await rows.all()).map(async r =>
				[await r.getAttribute('data-rule'), await r.locator('.lint-title').innerText()]));
			for (const [rule, title] of await titles())
				expect(LINT_RULES[rule] && title === LINT_RULES[rule][1], `${rule}: not its English title: ${title}`);
			expect(await rows.first().locator('.lint-msg').innerText() === first.message,
				'the English page does not show the linter\'s message');
			await p4.screenshot({ path: path.join(ARTIFACTS, 'declaration-check.png'), fullPage: true });
			await axeCheck(p4, 'staff-declaration-check');
			// in French: the rules' French titles, no English sentence in sight; the
			// linter's text only behind a closed disclosure that says it is English
			await p4.getByRole('button', { name: 'Français' }).click();
			await p4.getByRole('heading', { level: 1, name: 'Contrôle de la déclaration' }).waitFor();
			await p4.locator('#lint-sum', { hasText: `${want.errors} erreur(s), ${want.warnings} avertissement(s)` }).waitFor();
			const fr = await titles();
			expect(fr.length === findings.length, 'not every finding listed in French');
			for (const [rule, title] of fr)
				expect(title === LINT_RULES[rule][0], `${rule}: not its French title: ${title}`);
			frenchOnly(fr.map(([, title]) => title).join(' ; '), 'the French rule titles');
			const shown = await p4.locator('#lint-view').innerText();
			for (const f of findings) {
				expect(!shown.includes(f.message), 'an English message on the French page: ' + f.message);
				expect(!shown.includes(f.fix), 'an English fix on the French page: ' + f.fix);
			}
			for (const [rule] of fr)
				expect(!shown.includes(LINT_RULES[rule][1]), 'an English title on the French page: ' + LINT_RULES[rule][1]);
			const disclosure = rows.first().locator('details');
			expect(!(await disclosure.getAttribute('open')), 'the linter\'s English text is open on the French page');
			expect(/en anglais/.test(await disclosure.locator('summary').innerText()), 'the disclosure does not say its text is English');
			await disclosure.locator('summary').click();
			const msg = disclosure.locator('.lint-msg');
			expect(await msg.innerText() === first.message && await msg.getAttribute('lang') === 'en',
				'the disclosure does not hold the linter\'s message, marked English');
			await p4.screenshot({ path: path.join(ARTIFACTS, 'declaration-check-fr.png'), fullPage: true });
			await axeCheck(p4, 'staff-declaration-check-fr');
		} finally {
			await p4.close();
			srv4.kill('SIGTERM');
		}
	});
	await check('staff-unknown-url', async () => {
		await page.goto(base + '/staff/nothing-here');
		await page.getByRole('status').filter({ hasText: 'This page does not exist' }).waitFor();
		await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
	});

	/* ---- (c) the privacy center ---- */
	await check('privacy-notice', async () => {
		await page.goto(base + '/privacy/');
		// whose privacy center it is: the controller's name in the header
		await page.locator('header .controller', { hasText: 'Alegria.tech' }).waitFor();
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
		// the withdrawal's deletion certificate, offered as a file
		const [dl] = await Promise.all([page.waitForEvent('download'),
			consents.getByRole('link', { name: /Download the deletion certificate/ }).click()]);
		expect(dl.suggestedFilename() === 'deletion-certificate-contact.json',
			'the certificate file name: ' + dl.suggestedFilename());
		const cert = JSON.parse(fs.readFileSync(await dl.path(), 'utf8'));
		expect(cert.algorithm === 'Ed25519' && cert.certificate.kind === 'withdrawal' &&
			cert.certificate.withdrawn === 'contact', 'the certificate of the withdrawal');
		expect(!JSON.stringify(cert).includes(EMAIL), 'no address in the certificate');
	});
	/* the issue's must-show: the person's access request (asked in the
	   privacy center, its code read from the email) answered by the DPO in
	   the back office; the person gets the link by email, downloads the
	   export after a code, and the link's second use is refused */
	let link = '';
	await check('access-answered-in-back-office', async () => {
		const before = mails().length;
		await page.goto(base + '/staff/');
		await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
		const row = page.locator('#dash-requests tbody tr').filter({ hasText: reference });
		await row.getByRole('link', { name: /Handle/ }).click();
		await page.locator('#req-panel').waitFor();
		await page.getByLabel(/^Done/).check();
		await page.getByRole('button', { name: 'Close the request' }).click();
		await page.getByRole('alertdialog').getByRole('button', { name: 'Confirm' }).click();
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
		await tokenSignIn(dpo3);
		await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
		const row = page.locator(`#dash-requests tbody tr[data-request="${req}"]`);
		await row.getByRole('link', { name: /Handle/ }).click();
		await page.locator('#req-panel').waitFor();
		await page.getByLabel(/^Done/).check();
		await page.getByRole('button', { name: 'Close the request' }).click();
		await page.getByRole('alertdialog').getByRole('button', { name: 'Confirm' }).click();
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
		await nav('Outbox').click();
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
	/* ---- (d) a French session: five refusals of the server, each in French ---- */
	await check('french-session-refusals', async () => {
		const frCtx = await browser.newContext({ locale: 'fr-FR' });
		const sales = cli('token', 'create', 'sales', '--name', 'browser-sales-fr').token;
		const seen = [];
		const shoot = async (p, n) => p.screenshot({ path: path.join(ARTIFACTS, `french-${n}.png`), fullPage: true });
		const refusal = async (p, n, want) => {
			const box = p.locator('[role=status].err').first();
			await box.waitFor();
			const text = (await box.innerText()).trim();
			frenchOnly(text, n);
			expect(text.includes(want), `${n}: "${text}" is not "${want}"`);
			seen.push(text);
			await shoot(p, n);
			await axeCheck(p, 'french-' + n);
		};
		try {
			const p = await frCtx.newPage();
			p.on('pageerror', e => pageErrors.push(e.message));
			// 1. a date in the future (422, field received); signed in at the
			// list's URL, which then shows
			await p.goto(base + '/staff/requests');
			await p.getByRole('heading', { level: 1, name: 'Connexion' }).waitFor();
			await tokenSignIn(token, p);
			await p.getByRole('heading', { level: 1, name: 'Demandes' }).waitFor();
			await p.getByLabel('Type de demande').selectOption('access');
			await p.getByLabel('Adresse e-mail de la personne').fill(EMAIL);
			await p.getByLabel('Reçue le (facultatif)').fill('2099-01-01');
			await p.getByRole('button', { name: 'Ouvrir la demande' }).click();
			await refusal(p, 'bad-date', 'date de réception');
			// 2. a mistyped reference in a URL (422, invalid, naming the field)
			await p.goto(base + '/staff/requests/ZZZZZZZZZ');
			await refusal(p, 'field', 'champ : Demande');
			// 3. a person no one is (404)
			await p.goto(base + '/staff/subjects/sAAAAAAAAAAAAAAAAAAAAAA');
			await refusal(p, 'not-found', 'Introuvable');
			// 4. what the role may not do (403): sales rectifies a record of its
			// own from a page opened before the dpo restricted the person (a
			// restricted person's records are the dpo's to change)
			const someone = cli('collect', 'contact', '--consent', 'last_name=Restreinte', 'first_name=Zoé',
				'email=zoe.fr-test@example.org', 'message=Rappelez-moi.');
			const q = await frCtx.newPage();
			await q.goto(base + '/staff/subjects/' + someone.subject);
			await tokenSignIn(sales, q);
			const art = q.locator(`#person article.pp-record[data-record="${someone.record}"]`);
			await art.locator('select').selectOption('message');
			await art.getByLabel('Nouvelle valeur').fill('Ne plus me rappeler.');
			execFileSync(BIN, ['restrict', someone.subject], { cwd: vault, stdio: 'ignore' });
			await art.getByRole('button', { name: 'Rectifier' }).click();
			await q.getByRole('alertdialog').getByRole('button', { name: 'Confirmer' }).click();
			await refusal(q, 'forbidden', 'Votre rôle ne permet pas de rectifier cette fiche');
			await q.close();
			// 5. a wrong code, on the public privacy center (422 wrong_code)
			await p.goto(base + '/privacy/');
			const rights = p.locator('#rights');
			await rights.getByLabel('Que demandez-vous ?').selectOption('access');
			await rights.getByLabel('Votre adresse e-mail').fill(EMAIL);
			await rights.getByRole('button', { name: 'M’envoyer un code' }).click();
			await rights.getByLabel('Code reçu par e-mail').waitFor();
			const wrong = (await lastCode()) === '000000' ? '111111' : '000000';
			await rights.getByLabel('Code reçu par e-mail').fill(wrong);
			await rights.getByRole('button', { name: 'Confirmer' }).click();
			const box = rights.getByRole('status');
			await box.filter({ hasText: 'pas le bon' }).waitFor();
			const text = (await box.innerText()).trim();
			frenchOnly(text, 'wrong-code');
			seen.push(text);
			await shoot(p, 'wrong-code');
			expect(new Set(seen).size === 5, 'not five different refusals: ' + seen.join(' | '));
		} finally {
			await frCtx.close();
		}
	});

	/* ---- (d2) signing out, from the header: the URL stays, the session ends ---- */
	await check('staff-sign-out', async () => {
		// this tab is still ada's session (the cookie and its CSRF token)
		await page.goto(base + '/staff/requests');
		await page.locator('#view-requests:visible').waitFor();
		const before = (await page.context().cookies()).find(c => c.name === 'pdv_session');
		expect(before && before.value, 'no session cookie before signing out');
		await page.locator('header #logout').click();
		await page.locator('#view-login:visible').waitFor();
		expect(await page.locator('#nav').isHidden(), 'the nav is still shown');
		expect(new URL(page.url()).pathname === '/staff/requests', 'the URL changed on signing out');
		// the server's answer clears the cookie (the page does not wait for it)
		let left = true;
		for (let i = 0; i < 100 && left; i++, await sleep(50))
			left = (await page.context().cookies()).some(c => c.name === 'pdv_session' && c.value);
		expect(!left, 'the session cookie is left');
		// ended on the server too: the old cookie is refused
		const status = await new Promise((resolve, reject) => http.get(base + '/v1/me',
			{ headers: { Cookie: 'pdv_session=' + before.value } }, r => { r.resume(); resolve(r.statusCode); })
			.on('error', reject));
		expect(status === 401, 'the ended session still answers ' + status);
		// a reload stays signed out
		await page.reload();
		await page.locator('#view-login:visible').waitFor();
		expect(await page.locator('#view-requests').isHidden(), 'the view shown signed out');
	});

	/* ---- (e) layout: no page scrolls sideways, on a laptop or a phone ---- */
	await check('layout-no-horizontal-scroll', async () => {
		// something open on every list: a request, a breach with a long summary
		cli('request', 'open', 'erasure', '--email', EMAIL);
		cli('breach', 'open', '--aware', new Date(Date.now() - 3600e3).toISOString().replace(/\.\d+Z$/, 'Z'),
			'--summary', 'Layout check: a summary long enough to wrap, with an unbroken-identifier-' + 'x'.repeat(80));
		const subject = cli('find', '--email', EMAIL).subjects[0];
		const req = cli('request', 'list').requests.slice(-1)[0];
		const breach = cli('breach', 'list').breaches.slice(-1)[0].breach;
		// signed out first (the sign-in, an invitation's enrolment), then
		// signed in with ada's account, once per browser: every page after
		// that is the session's (the cookie), as a tab opened later is
		const pages = [
			['home', '/', false], ['privacy', '/privacy/', false],
			['forms', '/privacy/form.html', false], ['form', '/privacy/form.html?activity=contact', false],
			['staff-login', '/staff/', false], ['staff-login-deep-link', '/staff/tokens', false],
			['staff-enrol', 'invitation', false],
			['staff-dashboard', '/staff/', true],
			['staff-people', '/staff/subjects/' + subject, true], ['staff-requests', '/staff/requests?status=all', true],
			['staff-request', '/staff/requests/' + req.request, true], ['staff-breaches', '/staff/breaches', true],
			['staff-breach', '/staff/breaches/' + breach, true],
			['staff-outbox', '/staff/outbox?status=all', true], ['staff-documents', '/staff/documents', true],
			['staff-tokens', '/staff/tokens', true],
		];
		const wide = [];
		let n = 0;
		for (const [w, h, locale] of [[1280, 800, 'en-GB'], [390, 844, 'fr-FR']]) {
			const c = await browser.newContext({ viewport: { width: w, height: h }, locale });
			n++;
			try {
				let signedIn = false;
				for (const [name, where, staff] of pages) {
					const p = await c.newPage();
					p.on('pageerror', e => pageErrors.push(e.message));
					if (staff && !signedIn) {
						await p.goto(base + '/staff/');
						await accountSignIn(p, 'ada', PASSPHRASE, recovery[n]);
						await p.locator('#who:not(:empty)').waitFor();
						signedIn = true;
					}
					// an invitation of its own (a long-named account), opened and left
					const url = where === 'invitation' ? execFileSync(BIN, ['staff', 'add',
						`layout-${w}-account-with-a-long-name`, 'dpo', '--email', `layout-${w}@example.org`,
						'--public-url', base], { cwd: vault, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
						.trim() : base + where;
					await p.goto(url);
					await p.locator('main h1:visible').first().waitFor();
					if (staff) await p.locator('#who:not(:empty)').waitFor();
					else if (name.startsWith('staff-login')) await p.locator('#view-login:visible').waitFor();
					if (where === 'invitation') await p.locator('#enrol-qr svg').waitFor();
					if (!staff && where.startsWith('/staff/'))
						expect(new URL(p.url()).pathname === where, `${name}: the URL changed on showing the sign-in`);
					await p.waitForLoadState('networkidle');
					const over = await overflow(p);
					if (over) wide.push(`${name} at ${w}x${h}: ${over}`);
					await p.screenshot({ path: path.join(ARTIFACTS, `layout-${name}-${w}x${h}.png`), fullPage: true });
					await axeCheck(p, `layout ${w}x${h}`);
					await p.close();
				}
			} finally {
				await c.close();
			}
		}
		expect(!wide.length, wide.join(' | '));
	});
	await check('accessibility-axe-every-page', async () => {
		// axe finds what it must: a page made to fail it
		const known = axeFindings.length;
		await page.goto(siteOrigin + '/axe-self-test');
		await axeCheck(page, 'self-test');
		const found = axeFindings.splice(known).join(' ');
		expect(/\blabel\b/.test(found) && /html-has-lang/.test(found), 'axe did not find the known faults: ' + found);
		await page.goto(base + '/privacy/');
		expect(axeRuns >= 40, `axe ran on ${axeRuns} pages only`);
		expect(!axeFindings.length, `${axeFindings.length} serious or critical: ` + axeFindings.slice(0, 6).join(' | '));
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
