// The public privacy center: the notice, exercising a right and managing
// consents, following a request. The first two prove the person owns the
// address: POST /v1/requests {kind, email} sends a code, POST /v1/verify
// checks it. Following a request: POST /v1/status {reference} sends a code to
// the address the request came from, POST /v1/status/verify answers its state.
import { addStrings, t, initLang, showController, onLang, getLang, api, errorText, el, say, fmtDate,
	KINDS } from '/common.js';

addStrings({
	fr: {
		title: 'Centre de confidentialité', skip: 'Aller au contenu', nav: 'Sections',
		'nav.notice': 'Notice', 'nav.rights': 'Exercer un droit', 'nav.consents': 'Mes consentements',
		'nav.cookies': 'Mes choix de cookies',
		intro: 'Vous pouvez ici lire comment nous utilisons les données personnelles, exercer vos droits et gérer vos consentements. Nous vérifions d\u2019abord que l\u2019adresse e-mail est bien la vôtre en y envoyant un code.',
		'rights.h': 'Exercer un droit', 'rights.kind': 'Que demandez-vous ?',
		email: 'Votre adresse e-mail', 'email.hint': 'Nous envoyons un code à 6 chiffres à cette adresse.',
		'send.code': 'M\u2019envoyer un code', code: 'Code reçu par e-mail', confirm: 'Confirmer',
		restart: 'Recommencer',
		'code.sent': 'Si l\u2019adresse est valide, un code à 6 chiffres vient d\u2019y être envoyé. Il est valable jusqu\u2019à {at}.',
		'code.waiting': 'Si l\u2019adresse est valide, un code à 6 chiffres l\u2019attend : il partira dès que notre messagerie le permettra. Il est valable jusqu\u2019à {at}.',
		'rights.ok': 'Votre demande est enregistrée.',
		'rights.ref': 'Référence', 'rights.kind.v': 'Demande', 'rights.received': 'Reçue le',
		'rights.due': 'Réponse au plus tard le',
		'rights.note': 'Gardez la référence. Ce délai d\u2019un mois peut être prolongé de deux mois pour une demande complexe ; nous vous en informerions.',
		'consents.h': 'Mes consentements',
		'consents.none': 'Nous ne détenons aucune donnée liée à cette adresse.',
		'consents.empty': 'Aucun consentement enregistré pour cette adresse.',
		'consents.caption': 'Vos consentements',
		'col.activity': 'Traitement', 'col.purpose': 'Finalité', 'col.state': 'État',
		'col.since': 'Depuis le', 'col.action': 'Action',
		'state.granted': 'donné', 'state.withdrawn': 'retiré', withdraw: 'Retirer mon consentement',
		'withdraw.label': 'Retirer mon consentement : {name}',
		'withdrawn.ok': 'Consentement retiré pour « {name} ». Les données collectées sur cette base seront supprimées.',
		'certificate.download': 'Télécharger le certificat de suppression (signé, sans donnée personnelle)',
		'consents.loaded': '{n} consentement(s) trouvé(s).',
		'notice.h': 'Notice d\u2019information', 'notice.open': 'Ouvrir la notice seule',
		'notice.md': 'Version Markdown', 'notice.fail': 'La notice n\u2019a pas pu être chargée.',
		'forms.h': 'Nos formulaires', 'forms.link': 'Voir les formulaires qui collectent des données personnelles',
		'err.wrong_code': 'Ce code n\u2019est pas le bon. Vérifiez-le et réessayez.',
		'err.expired': 'Ce code a expiré ou a déjà servi : recommencez pour en recevoir un nouveau.',
		'err.session': 'Votre session a expiré : recommencez pour recevoir un nouveau code.',
		'err.not_found': 'Nous ne détenons plus de donnée liée à cette adresse.',
		'nav.status': 'Suivre ma demande', 'status.h': 'Suivre ma demande',
		'status.ref': 'Référence de votre demande',
		'status.hint': 'Donnée quand vous avez fait la demande, par exemple 7X3K-9QAB-M. Nous envoyons un code à 6 chiffres à l’adresse d’où vient la demande.',
		'status.sent': 'Si cette référence est celle d’une demande, un code à 6 chiffres vient d’être envoyé à l’adresse d’où elle vient. Il est valable jusqu’à {at}.',
		'status.state': 'État', 'status.open': 'En cours de traitement',
		'status.done': 'Répondue le {date}', 'status.refused': 'Refusée le {date}',
		'status.extended': 'Délai prolongé (art. 12(3) RGPD)', 'status.ext.reason': 'Motif de la prolongation',
		'status.reason': 'Motif du refus',
		'status.complaint': 'Vous pouvez introduire une réclamation auprès de l’autorité de contrôle (la CNIL en France) et former un recours juridictionnel (art. 12(4) RGPD).',
		'status.download': 'Télécharger vos données', 'status.overdue': 'en retard',
		'dl.h': 'Télécharger vos données',
		'dl.intro': 'La réponse à votre demande est prête. Pour votre sécurité, nous envoyons d’abord un code à 6 chiffres à l’adresse d’où vient la demande. Le lien ne sert qu’à un téléchargement.',
		'dl.confirm': 'Télécharger', 'dl.sent': 'Un code a été envoyé à l’adresse de la demande.',
		'dl.done': 'Téléchargement terminé : le lien est maintenant épuisé.',
		'err.used': 'Ce lien a déjà servi : il ne permet qu’un téléchargement. Écrivez au délégué à la protection des données si besoin.',
		'err.expired.token': 'Ce lien a expiré (7 jours). Écrivez au délégué à la protection des données.',
		'err.not_found.token': 'Ce lien n’est pas valide.',
		'err.invalid.reference': 'Cette référence n’est pas valide : vérifiez-la (8 caractères et un caractère de contrôle, par exemple 7X3K-9QAB-M).',
	},
	en: {
		title: 'Privacy center', skip: 'Skip to content', nav: 'Sections',
		'nav.notice': 'Notice', 'nav.rights': 'Exercise a right', 'nav.consents': 'My consents',
		'nav.cookies': 'My cookie choices',
		intro: 'Here you can read how we use personal data, exercise your rights and manage your consents. We first check that you own the email address by sending it a code.',
		'rights.h': 'Exercise a right', 'rights.kind': 'What do you ask?',
		email: 'Your email address', 'email.hint': 'We send a 6-digit code to this address.',
		'send.code': 'Send me a code', code: 'Code received by email', confirm: 'Confirm',
		restart: 'Start again',
		'code.sent': 'If the address is valid, a 6-digit code was just sent to it. It is valid until {at}.',
		'code.waiting': 'If the address is valid, a 6-digit code is waiting for it: it leaves as soon as our mail service allows. It is valid until {at}.',
		'rights.ok': 'Your request is registered.',
		'rights.ref': 'Reference', 'rights.kind.v': 'Request', 'rights.received': 'Received on',
		'rights.due': 'Answer at the latest on',
		'rights.note': 'Keep the reference. This one-month deadline may be extended by two months for a complex request; we would tell you.',
		'consents.h': 'My consents',
		'consents.none': 'We hold no data linked to this address.',
		'consents.empty': 'No consent recorded for this address.',
		'consents.caption': 'Your consents',
		'col.activity': 'Activity', 'col.purpose': 'Purpose', 'col.state': 'State',
		'col.since': 'Since', 'col.action': 'Action',
		'state.granted': 'given', 'state.withdrawn': 'withdrawn', withdraw: 'Withdraw my consent',
		'withdraw.label': 'Withdraw my consent: {name}',
		'withdrawn.ok': 'Consent withdrawn for “{name}”. The data collected on this basis will be deleted.',
		'certificate.download': 'Download the deletion certificate (signed, no personal data in it)',
		'consents.loaded': '{n} consent(s) found.',
		'notice.h': 'Privacy notice', 'notice.open': 'Open the notice on its own page',
		'notice.md': 'Markdown version', 'notice.fail': 'The notice could not be loaded.',
		'forms.h': 'Our forms', 'forms.link': 'See the forms that collect personal data',
		'err.wrong_code': 'This code is not the right one. Check it and try again.',
		'err.expired': 'This code has expired or was already used: start again to get a new one.',
		'err.session': 'Your session has expired: start again to get a new code.',
		'err.not_found': 'We no longer hold data linked to this address.',
		'nav.status': 'Follow my request', 'status.h': 'Follow my request',
		'status.ref': 'Reference of your request',
		'status.hint': 'Given when you made the request, e.g. 7X3K-9QAB-M. We send a 6-digit code to the address the request came from.',
		'status.sent': 'If this reference is a request’s, a 6-digit code was just sent to the address it came from. It is valid until {at}.',
		'status.state': 'State', 'status.open': 'Being handled',
		'status.done': 'Answered on {date}', 'status.refused': 'Refused on {date}',
		'status.extended': 'Deadline extended (Art. 12(3) GDPR)', 'status.ext.reason': 'Reason for the extension',
		'status.reason': 'Reason for the refusal',
		'status.complaint': 'You may lodge a complaint with the supervisory authority (the CNIL in France) and seek a judicial remedy (Art. 12(4) GDPR).',
		'status.download': 'Download your data', 'status.overdue': 'overdue',
		'dl.h': 'Download your data',
		'dl.intro': 'The answer to your request is ready. For your security we first send a 6-digit code to the address the request came from. The link works for one download.',
		'dl.confirm': 'Download', 'dl.sent': 'A code was sent to the address of the request.',
		'dl.done': 'Download complete: the link is now used up.',
		'err.used': 'This link was used already: it works for one download. Write to the data protection officer if needed.',
		'err.expired.token': 'This link has expired (7 days). Write to the data protection officer.',
		'err.not_found.token': 'This link is not valid.',
		'err.invalid.reference': 'This reference is not valid: check it (8 characters and a check character, e.g. 7X3K-9QAB-M).',
	},
});

const $ = id => document.getElementById(id);
const state = { request: null, session: null, consents: null, status: null };

/* ---- the notice: fetched as HTML and shown in the page ---- */

async function loadNotice() {
	const lang = getLang();
	$('notice-link').href = `/v1/notice?lang=${lang}&format=html`;
	$('notice-md').href = `/v1/notice?lang=${lang}&format=md`;
	const box = $('notice-body');
	try {
		const r = await fetch(`/v1/notice?lang=${lang}&format=html`);
		if (!r.ok) throw new Error();
		const doc = new DOMParser().parseFromString(await r.text(), 'text/html');
		// the notice is the server's own rendering of the declaration; keep only
		// its content: no script, style or event handler, ids prefixed so they
		// cannot clash with this page's, headings one level down (they sit under h2)
		const src = doc.querySelector('main') || doc.body;
		src.querySelectorAll('script, style, link, meta, iframe, object').forEach(n => n.remove());
		src.querySelectorAll('*').forEach(n => {
			for (const a of [...n.attributes]) if (a.name.startsWith('on')) n.removeAttribute(a.name);
			if (n.id) n.id = 'n-' + n.id;
			const href = n.getAttribute('href');
			if (href && href.startsWith('#')) n.setAttribute('href', '#n-' + href.slice(1));
		});
		for (let i = 5; i >= 1; i--)
			src.querySelectorAll('h' + i).forEach(h => {
				const n = document.createElement('h' + (i + 1));
				n.append(...h.childNodes);
				for (const a of h.attributes) n.setAttribute(a.name, a.value);
				h.replaceWith(n);
			});
		box.replaceChildren(...[...src.childNodes].map(n => document.importNode(n, true)));
	} catch {
		box.replaceChildren(el('p', { class: 'msg err', text: t('notice.fail') }));
	}
}

/* ---- the code flow, shared by both forms ---- */

/* prefix: "rights" or "consents"; kind() gives the kind to ask;
   verified(data) receives the answer of /v1/verify */
function codeFlow(prefix, kind, verified) {
	const form = $(prefix + '-form'), codeForm = $(prefix + '-code-form'), msg = $(prefix + '-msg');
	let vid = null;

	const restart = () => {
		vid = null;
		codeForm.hidden = true;
		codeForm.reset();
		form.hidden = false;
		say(msg, '');
		$(prefix + '-email').focus();
	};
	codeForm.querySelector('.restart').addEventListener('click', restart);

	form.addEventListener('submit', async e => {
		e.preventDefault();
		say(msg, t('busy'));
		const res = await api('/v1/requests', { method: 'POST',
			body: { kind: kind(), email: $(prefix + '-email').value.trim(), lang: getLang() } });
		if (!res.ok) return say(msg, errorText(res), 'err');
		vid = res.data.verification;
		form.hidden = true;
		codeForm.hidden = false;
		// "sent" only when the server has a relay to send it through
		say(msg, t(res.data.delivery ? 'code.sent' : 'code.waiting',
			{ at: fmtDate(res.data.expires_at, true) }), 'info');
		$(prefix + '-code').focus();
	});

	codeForm.addEventListener('submit', async e => {
		e.preventDefault();
		const input = $(prefix + '-code');
		const res = await api('/v1/verify', { method: 'POST',
			body: { verification: vid, code: input.value.trim(), lang: getLang() } });
		if (!res.ok) {
			input.setAttribute('aria-invalid', 'true');
			say(msg, errorText(res), 'err');
			if (res.data.error.code === 'expired') { codeForm.hidden = true; form.hidden = false; }
			return;
		}
		input.removeAttribute('aria-invalid');
		codeForm.hidden = true;
		codeForm.reset();
		form.reset();
		form.hidden = false;
		say(msg, '');
		verified(res.data);
	});
	return restart;
}

/* ---- exercising a right ---- */

function fillKinds() {
	const sel = $('rights-kind'), v = sel.value;
	sel.replaceChildren(...KINDS.map(k => el('option', { value: k, text: t('kind.' + k) })));
	if (v) sel.value = v;
}

function renderRequest() {
	const r = state.request, box = $('rights-done');
	box.hidden = !r;
	if (!r) return;
	const row = (k, v, cls) => [el('dt', { text: t(k) }), el('dd', { class: cls, text: v })];
	box.replaceChildren(
		el('p', { class: 'msg ok', text: t('rights.ok') }),
		el('dl', { class: 'fields' },
			row('rights.ref', r.reference, 'reference'), row('rights.kind.v', t('kind.' + r.kind)),
			row('rights.received', fmtDate(r.received)), row('rights.due', fmtDate(r.due), 'due')),
		el('p', { class: 'muted', text: t('rights.note') }));
}

/* ---- following a request: reference, code, then its state ---- */

function statusFlow() {
	const form = $('status-form'), codeForm = $('status-code-form'), msg = $('status-msg');
	let check = null;

	codeForm.querySelector('.restart').addEventListener('click', () => {
		check = null;
		codeForm.hidden = true;
		codeForm.reset();
		form.hidden = false;
		say(msg, '');
		$('status-ref').focus();
	});
	form.addEventListener('submit', async e => {
		e.preventDefault();
		say(msg, t('busy'));
		const input = $('status-ref');
		const res = await api('/v1/status', { method: 'POST', body: { reference: input.value.trim() } });
		if (!res.ok) {
			input.setAttribute('aria-invalid', 'true');
			return say(msg, errorText(res), 'err');
		}
		input.removeAttribute('aria-invalid');
		check = res.data.check;
		state.status = null;
		renderStatus();
		form.hidden = true;
		codeForm.hidden = false;
		say(msg, t('status.sent', { at: fmtDate(res.data.expires_at, true) }), 'info');
		$('status-code').focus();
	});
	codeForm.addEventListener('submit', async e => {
		e.preventDefault();
		const input = $('status-code');
		const res = await api('/v1/status/verify', { method: 'POST',
			body: { check, code: input.value.trim() } });
		if (!res.ok) {
			input.setAttribute('aria-invalid', 'true');
			say(msg, errorText(res), 'err');
			if (res.data.error.code === 'expired') { codeForm.hidden = true; form.hidden = false; }
			return;
		}
		input.removeAttribute('aria-invalid');
		codeForm.hidden = true;
		codeForm.reset();
		form.hidden = false;
		say(msg, '');
		state.status = res.data;
		renderStatus();
		$('status-result').focus();
	});
}

function renderStatus() {
	const r = state.status, box = $('status-result');
	box.hidden = !r;
	if (!r) return box.replaceChildren();
	const row = (k, v, cls) => [el('dt', { text: t(k) }), el('dd', { class: cls, text: v })];
	const rows = [row('rights.ref', r.reference, 'reference'), row('rights.kind.v', t('kind.' + r.kind)),
		row('rights.received', fmtDate(r.received), 'received')];
	if (r.status === 'open')
		rows.push(row('rights.due', fmtDate(r.due) + (r.overdue ? ` (${t('status.overdue')})` : ''), 'due'));
	rows.push(row('status.state', r.status === 'open' ? t('status.open')
		: t('status.' + r.status, { date: fmtDate(r.closed) }), 'state'));
	if (r.extended) {
		rows.push(row('status.extended', fmtDate(r.due), 'extended'));
		if (r.extension_reason) rows.push(row('status.ext.reason', r.extension_reason, 'extension-reason'));
	}
	if (r.status === 'refused' && r.reason) rows.push(row('status.reason', r.reason, 'reason'));
	const parts = [el('dl', { class: 'fields' }, rows)];
	if (r.download)
		parts.push(el('p', {}, el('a', { href: r.download.link, class: 'download' }, t('status.download'))));
	if (r.status === 'refused') parts.push(el('p', { class: 'muted', text: t('status.complaint') }));
	box.replaceChildren(...parts);
}

/* ---- consents ---- */

async function loadConsents() {
	const res = await api('/v1/consents', { method: 'POST', body: { session: state.session, lang: getLang() } });
	if (!res.ok) return say($('consents-msg'), errorText(res), 'err');
	state.consents = res.data.consents;
	renderConsents();
	say($('consents-msg'), t('consents.loaded', { n: state.consents.length }), 'ok');
}

function renderConsents() {
	const box = $('consents-list');
	if (!state.consents) return box.replaceChildren();
	if (!state.consents.length) return box.replaceChildren(el('p', { text: t('consents.empty') }));
	box.replaceChildren(el('table', {},
		el('caption', { text: t('consents.caption') }),
		el('thead', {}, el('tr', {}, ['col.activity', 'col.purpose', 'col.state', 'col.since', 'col.action']
			.map(k => el('th', { scope: 'col', text: t(k) })))),
		el('tbody', {}, state.consents.map(c => el('tr', { 'data-activity': c.activity },
			el('th', { scope: 'row', text: c.name || c.activity }),
			el('td', { text: c.purpose || '' }),
			el('td', { class: 'state', text: t('state.' + c.state) }),
			el('td', { text: fmtDate(c.at) }),
			el('td', {}, c.state === 'granted' ? el('button', { type: 'button', class: 'danger',
				'aria-label': t('withdraw.label', { name: c.name || c.activity }),
				onclick: () => withdraw(c) }, t('withdraw')) : ''))))));
}

async function withdraw(c) {
	const res = await api(`/v1/consents/${encodeURIComponent(c.activity)}/withdraw`,
		{ method: 'POST', body: { session: state.session } });
	if (!res.ok) return say($('consents-msg'), errorText(res), 'err');
	// the list is updated here: when withdrawal ends the person's last record
	// the vault no longer knows them, and /v1/consents would answer 404
	c.state = res.data.state;
	c.at = new Date().toISOString();
	renderConsents();
	say($('consents-msg'), t('withdrawn.ok', { name: c.name || c.activity }), 'ok');
	offerCertificate(c.activity, res.data.certificate);
	$('consents-h').focus();
}

/* the withdrawal's deletion certificate, for the person to keep: it holds no
 * personal value (docs/certificates.md), so it is offered as a file here */
function offerCertificate(activity, cert) {
	const box = $('consents-certificate');
	if (!box) return;
	if (!cert) return box.replaceChildren();
	const url = URL.createObjectURL(new Blob([JSON.stringify(cert)], { type: 'application/json' }));
	box.replaceChildren(el('a', { href: url, download: `deletion-certificate-${activity}.json`,
		class: 'certificate' }, t('certificate.download')));
}

/* ---- the answer's download: #download=TOKEN, from the email ---- */

function downloadFlow() {
	const box = $('download'), form = $('download-form'), codeForm = $('download-code-form');
	const msg = $('download-msg');
	let token = null, check = null;
	const show = () => {
		const m = location.hash.match(/^#download=([A-Za-z0-9_-]+)$/);
		if (!m) return;
		token = m[1];
		box.hidden = false;
		form.hidden = false;
		codeForm.hidden = true;
		say(msg, '');
		$('download-h').focus();
	};
	window.addEventListener('hashchange', show);
	form.addEventListener('submit', async e => {
		e.preventDefault();
		say(msg, t('busy'));
		const res = await api('/v1/download', { method: 'POST', body: { token } });
		if (!res.ok) return say(msg, errorText(res), 'err');
		check = res.data.check;
		form.hidden = true;
		codeForm.hidden = false;
		say(msg, t('dl.sent'), 'info');
		$('download-code').focus();
	});
	codeForm.addEventListener('submit', async e => {
		e.preventDefault();
		const input = $('download-code');
		let r;
		try {
			r = await fetch('/v1/download/verify', { method: 'POST', cache: 'no-store',
				headers: { 'Content-Type': 'application/json' },
				body: JSON.stringify({ check, code: input.value.trim() }) });
		} catch {
			return say(msg, t('err.generic'), 'err');
		}
		if (!r.ok) {
			let data = null;
			try { data = await r.json(); } catch { /* not JSON */ }
			input.setAttribute('aria-invalid', 'true');
			say(msg, errorText({ ok: false, status: r.status, data }), 'err');
			if (data && data.error && data.error.code !== 'wrong_code') codeForm.hidden = true;
			return;
		}
		input.removeAttribute('aria-invalid');
		const url = URL.createObjectURL(await r.blob());
		const a = el('a', { href: url, download: 'my-data.json' });
		document.body.append(a);
		a.click();
		a.remove();
		setTimeout(() => URL.revokeObjectURL(url), 10000);
		codeForm.hidden = true;
		codeForm.reset();
		say(msg, t('dl.done'), 'ok');
	});
	show();
}

function init() {
	initLang();
	showController();
	fillKinds();
	loadNotice();
	$('consents-h').tabIndex = -1;
	// names and purposes of consents stay in the language they were fetched in
	onLang(() => { fillKinds(); loadNotice(); renderRequest(); renderStatus(); renderConsents(); });
	statusFlow();
	downloadFlow();

	codeFlow('rights', () => $('rights-kind').value, data => {
		state.request = data;
		renderRequest();
		$('rights-done').focus();
	});
	codeFlow('consents', () => 'consents', data => {
		state.session = data.session;
		state.consents = null;
		renderConsents();
		if (!data.session) return say($('consents-msg'), t('consents.none'), 'info');
		loadConsents();
	});
}

init();
