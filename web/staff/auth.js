// Staff accounts in the back office: the sign-in with a passphrase and a
// code, the enrolment from an invitation link (#enrol=TOKEN: a passphrase,
// the authenticator's QR code, the recovery codes shown once), signing out,
// and the dpo's page of API tokens (/staff/tokens). staff.js owns the views
// and the session state; it hands this file `call` (an API call as the
// signed-in person), `show` (a view), `signedIn` (what follows a sign-in),
// `enter` (the view the URL names, once signed in), `roleName` (a role id
// by its declared name) and `roles` (the declared roles' ids).
import { addStrings, t, api, errorText, el, say, fmtDate, onLang } from '/common.js';
import { route } from '/staff/router.js';

addStrings({
	fr: {
		'auth.name': 'Nom du compte', 'auth.pass': 'Phrase de passe',
		'auth.code': 'Code de l\u2019application d\u2019authentification',
		'auth.code.hint': '6 chiffres, ou l\u2019un de vos codes de secours.',
		'auth.bad': 'Nom, phrase de passe ou code incorrect, ou compte bloqué 15 minutes après 10 échecs.',
		'auth.token.summary': 'Se connecter avec un jeton d\u2019API (machines, scripts)',
		'auth.token.submit': 'Se connecter avec le jeton',
		'logout.all': 'Se déconnecter partout', 'nav.tokens': 'Jetons d\u2019API',
		'enrol.h': 'Configurer votre compte', 'enrol.who': 'Compte {name}, rôle {role}.',
		'enrol.pass': 'Choisissez une phrase de passe',
		'enrol.pass.hint': 'Au moins 12 caractères ; quelques mots dont vous vous souvenez, c\u2019est le mieux.',
		'enrol.pass2': 'La phrase de passe, à nouveau', 'enrol.app': 'Application d\u2019authentification',
		'enrol.app.hint': 'Scannez ce code avec une application d\u2019authentification (FreeOTP, Aegis, Google Authenticator…), ou saisissez la clé.',
		'enrol.key': 'Clé :', 'enrol.code': 'Le code à 6 chiffres que l\u2019application affiche',
		'enrol.submit': 'Terminer', 'enrol.codes': 'Vos codes de secours',
		'enrol.codes.hint': 'Chacun permet de se connecter une fois si vous perdez l\u2019application. Gardez-les en lieu sûr : ils ne sont affichés que maintenant.',
		'enrol.go': 'Aller à la connexion', 'enrol.mismatch': 'Les deux phrases de passe diffèrent.',
		'enrol.short': 'La phrase de passe doit compter au moins 12 caractères.',
		'enrol.invalid': 'Ce lien d\u2019invitation n\u2019est plus valable (déjà utilisé, remplacé ou expiré). Demandez-en un nouveau à votre DPO.',
		'enrol.badcode': 'Ce code n\u2019est pas celui que l\u2019application affiche maintenant.',
		'enrol.qr': 'Code QR à scanner avec l\u2019application d\u2019authentification',
		'tok.h': 'Jetons d\u2019API',
		'tok.intro': 'Les jetons permettent à des machines et des scripts d\u2019appeler l\u2019API avec un rôle. Les personnes se connectent avec leur compte.',
		'tok.new': 'Nouveau jeton', 'tok.name': 'Nom', 'tok.role': 'Rôle', 'tok.role.pick': 'Choisir un rôle',
		'tok.days': 'Expire après (jours, vide : jamais)', 'tok.create': 'Créer',
		'tok.made': 'Copiez ce jeton maintenant : il n\u2019est affiché qu\u2019une fois.',
		'tok.none': 'Aucun jeton.', 'tok.revoke': 'Révoquer', 'tok.revoked': 'Jeton {name} révoqué.',
		'tok.col.name': 'Nom', 'tok.col.role': 'Rôle', 'tok.col.created': 'Créé le',
		'tok.col.expires': 'Expire le', 'tok.col.used': 'Dernier usage', 'tok.col.state': 'État',
		'tok.never': 'jamais', 'tok.active': 'actif', 'tok.is.revoked': 'révoqué', 'tok.metrics': 'métriques seules',
		'tok.calendar': 'calendrier des échéances seul',
		'err.exists.name': 'Ce nom est déjà pris.',
	},
	en: {
		'auth.name': 'Account name', 'auth.pass': 'Passphrase',
		'auth.code': 'Code from the authenticator app',
		'auth.code.hint': '6 digits, or one of your recovery codes.',
		'auth.bad': 'Wrong name, passphrase or code, or the account is locked for 15 minutes after 10 failures.',
		'auth.token.summary': 'Sign in with an API token (machines, scripts)',
		'auth.token.submit': 'Sign in with the token',
		'logout.all': 'Sign out everywhere', 'nav.tokens': 'API tokens',
		'enrol.h': 'Set up your account', 'enrol.who': 'Account {name}, role {role}.',
		'enrol.pass': 'Choose a passphrase',
		'enrol.pass.hint': 'At least 12 characters; a few words you remember are best.',
		'enrol.pass2': 'The passphrase again', 'enrol.app': 'Authenticator app',
		'enrol.app.hint': 'Scan this code with an authenticator app (FreeOTP, Aegis, Google Authenticator…), or type the key.',
		'enrol.key': 'Key:', 'enrol.code': 'The 6-digit code the app shows now',
		'enrol.submit': 'Finish', 'enrol.codes': 'Your recovery codes',
		'enrol.codes.hint': 'Each one signs you in once if you lose the app. Keep them somewhere safe: they are shown only now.',
		'enrol.go': 'Go to the sign-in', 'enrol.mismatch': 'The two passphrases differ.',
		'enrol.short': 'The passphrase needs at least 12 characters.',
		'enrol.invalid': 'This invitation link is no longer valid (used, replaced or expired). Ask your DPO for a new one.',
		'enrol.badcode': 'This code is not the one the app shows now.',
		'enrol.qr': 'QR code to scan with the authenticator app',
		'tok.h': 'API tokens',
		'tok.intro': 'Tokens let machines and scripts call the API with a role. People sign in with their account instead.',
		'tok.new': 'New token', 'tok.name': 'Name', 'tok.role': 'Role', 'tok.role.pick': 'Choose a role',
		'tok.days': 'Expires after (days, empty: never)', 'tok.create': 'Create',
		'tok.made': 'Copy this token now: it is shown only once.',
		'tok.none': 'No token.', 'tok.revoke': 'Revoke', 'tok.revoked': 'Token {name} revoked.',
		'tok.col.name': 'Name', 'tok.col.role': 'Role', 'tok.col.created': 'Created',
		'tok.col.expires': 'Expires', 'tok.col.used': 'Last used', 'tok.col.state': 'State',
		'tok.never': 'never', 'tok.active': 'active', 'tok.is.revoked': 'revoked', 'tok.metrics': 'metrics only',
		'tok.calendar': 'calendar feed only',
		'err.exists.name': 'This name is taken.',
	},
});

const $ = id => document.getElementById(id);
let ctx = null;
let invitation = null;
let tokens = null;

/* ---- sign in with an account ---- */

async function signInAccount(e) {
	e.preventDefault();
	const status = $('status');
	const res = await api('/v1/session', { method: 'POST', body: {
		name: $('acc-name').value.trim(), passphrase: $('acc-pass').value,
		code: $('acc-code').value.trim() } });
	$('acc-pass').value = '';
	$('acc-code').value = '';
	if (!res.ok) return say(status, res.status === 401 ? t('auth.bad') : errorText(res), 'err');
	if (await ctx.signedIn(res.data.csrf)) {
		say(status, t('login.ok'), 'ok');
		// a link followed while signed out lands where it points
		ctx.enter();
	}
}

/** End the session (or every session of the account) on the server. */
export async function endSession(csrf, everywhere) {
	await api(everywhere ? '/v1/session/revoke-all' : '/v1/session',
		{ method: everywhere ? 'POST' : 'DELETE', csrf });
}

/* ---- enrolment ---- */

async function startEnrol() {
	const status = $('status');
	invitation = location.hash.slice('#enrol='.length);
	// the token leaves the address bar (and the history) at once
	history.replaceState(null, '', location.pathname);
	const res = await api('/v1/enrol', { method: 'POST', body: { invitation } });
	if (!res.ok) {
		$('enrol-form').hidden = true;
		return say(status, res.status === 401 ? t('enrol.invalid') : errorText(res), 'err');
	}
	const d = res.data;
	$('enrol-who').textContent = t('enrol.who', { name: d.name, role: d.role });
	$('enrol-who').dataset.name = d.name;
	$('enrol-secret').textContent = d.secret.replace(/(.{4})/g, '$1 ').trim();
	// the server draws the SVG (no script in it); parsed as SVG, never as HTML
	const svg = new DOMParser().parseFromString(d.qr_svg, 'image/svg+xml').documentElement;
	svg.setAttribute('aria-label', t('enrol.qr'));
	svg.setAttribute('width', '220');
	svg.setAttribute('height', '220');
	$('enrol-qr').replaceChildren(document.importNode(svg, true));
}

async function finishEnrol(e) {
	e.preventDefault();
	const status = $('status'), p1 = $('enrol-pass').value, p2 = $('enrol-pass2').value;
	if ([...p1].length < 12) return say(status, t('enrol.short'), 'err');
	if (p1 !== p2) {
		$('enrol-pass2').setAttribute('aria-invalid', 'true');
		$('enrol-pass2').focus();
		return say(status, t('enrol.mismatch'), 'err');
	}
	$('enrol-pass2').removeAttribute('aria-invalid');
	const res = await api('/v1/enrol/confirm', { method: 'POST',
		body: { invitation, passphrase: p1, code: $('enrol-code').value.trim() } });
	if (!res.ok) {
		const e = res.data.error || {};
		return say(status, e.field === 'code' ? t('enrol.badcode')
			: res.status === 401 ? t('enrol.invalid') : errorText(res), 'err');
	}
	$('enrol-form').reset();
	$('enrol-form').hidden = true;
	$('enrol-codes').replaceChildren(...res.data.recovery_codes.map(c => el('li', {}, el('code', {}, c))));
	$('enrol-done').hidden = false;
	say(status, '');
	$('enrol-done-h').focus();
}

/* ---- API tokens (the dpo's) ---- */

route('/staff/tokens', 'tokens', () => {
	// a token shown once is not shown again on coming back
	$('tok-made').hidden = true;
	$('tok-value').textContent = '';
	renderRoles();
	loadTokens();
});

/* the roles a token may have: those the declaration declares (GET /v1/me
   gives their names), by their name in the page's language, then the dpo;
   the option's value is the id the server takes. The choice made survives a
   change of language. */
function renderRoles() {
	const sel = $('tok-role'), was = sel.value;
	sel.replaceChildren(el('option', { value: '' }, t('tok.role.pick')),
		...[...ctx.roles(), 'dpo'].map(id => el('option', { value: id }, ctx.roleName(id))));
	sel.value = was;
}

async function loadTokens() {
	const res = await ctx.call('/v1/tokens');
	if (!res.ok) return say($('status'), errorText(res), 'err');
	tokens = res.data.tokens;
	renderTokens();
}

function renderTokens() {
	if (!tokens) return;
	if (!tokens.length) return $('tok-list').replaceChildren(el('p', {}, t('tok.none')));
	const head = el('tr', {}, ...['name', 'role', 'created', 'expires', 'used', 'state', null].map(c =>
		el('th', { scope: 'col' }, c ? t('tok.col.' + c) : '')));
	const rows = tokens.map(k => el('tr', {},
		el('td', {}, el('code', {}, k.name)),
		// a token of a scope of its own has no role: its scope says what it reads
		el('td', {}, k.scope === 'metrics' || k.scope === 'calendar' ? t('tok.' + k.scope) : ctx.roleName(k.role)),
		el('td', {}, fmtDate(k.created, true)),
		el('td', {}, k.expires ? fmtDate(k.expires, true) : t('tok.never')),
		el('td', {}, k.last_used ? fmtDate(k.last_used, true) : t('tok.never')),
		el('td', {}, k.revoked ? t('tok.is.revoked') : t('tok.active')),
		el('td', {}, k.revoked ? '' : el('button', { type: 'button', class: 'secondary',
			'aria-label': `${t('tok.revoke')} ${k.name}`, onclick: () => revoke(k.name) }, t('tok.revoke')))));
	$('tok-list').replaceChildren(el('div', { class: 'auth-scroll' },
		el('table', {}, el('thead', {}, head), el('tbody', {}, ...rows))));
}

async function revoke(name) {
	const res = await ctx.call(`/v1/tokens/${encodeURIComponent(name)}`, { method: 'DELETE' });
	if (!res.ok) return say($('status'), errorText(res), 'err');
	say($('status'), t('tok.revoked', { name }), 'ok');
	loadTokens();
}

async function createToken(e) {
	e.preventDefault();
	const body = { name: $('tok-name').value.trim(), role: $('tok-role').value };
	if ($('tok-days').value) body.expires_days = Number($('tok-days').value);
	const res = await ctx.call('/v1/tokens', { method: 'POST', body });
	if (!res.ok) return say($('status'), errorText(res), 'err');
	$('tok-form').reset();
	$('tok-value').textContent = res.data.token;
	$('tok-made').hidden = false;
	loadTokens();
}

/** Wire the sign-in, enrolment and tokens screens; true when the page was
    opened from an invitation link (the enrolment view is the one to show). */
export function initAuth(c) {
	ctx = c;
	$('account-form').addEventListener('submit', signInAccount);
	$('enrol-form').addEventListener('submit', finishEnrol);
	$('enrol-go').addEventListener('click', () => {
		$('enrol-done').hidden = true;
		$('enrol-codes').replaceChildren();
		$('acc-name').value = $('enrol-who').dataset.name || '';
		ctx.show('login');
	});
	$('tok-form').addEventListener('submit', createToken);
	onLang(() => { renderRoles(); renderTokens(); });
	if (!location.hash.startsWith('#enrol=')) return false;
	startEnrol();
	return true;
}
