// A form for one activity, built from its declaration (GET /v1/activities):
// required fields marked *, the consent box never pre-ticked and worded with
// the declared text, a link to the notice. Posts to
// /v1/activities/ID/submissions. Without ?activity=ID: the list of forms.
import { addStrings, t, initLang, showController, onLang, getLang, api, errorText, el, say, fieldLabel } from '/common.js';

addStrings({
	fr: {
		'form.title': 'Formulaire', center: 'Centre de confidentialité', skip: 'Aller au contenu',
		'forms.h': 'Nos formulaires', 'required.note': 'Les champs marqués * sont obligatoires.',
		required: 'obligatoire', purpose: 'Finalité : {p}', send: 'Envoyer',
		'notice': 'Pour savoir comment nous utilisons vos données et exercer vos droits, lisez notre {link}.',
		'notice.link': 'notice d\u2019information',
		'sent': 'Merci, votre envoi a bien été reçu.',
		'unknown': 'Ce formulaire n\u2019existe pas.', 'load.fail': 'Le formulaire n\u2019a pas pu être chargé.',
		'err.consent_required': 'Cochez la case de consentement pour envoyer ce formulaire.',
		'err.required': 'Ce champ est obligatoire.',
		'err.field': '{label} : {msg}',
		'confirm.sent': 'Pour confirmer, saisissez le code à 6 chiffres que nous venons d’envoyer à votre adresse e-mail. Rien n’est enregistré avant.',
		'confirm.waiting': 'Pour confirmer, saisissez le code à 6 chiffres qui partira vers votre adresse e-mail dès que notre messagerie le permettra. Rien n’est enregistré avant.',
		'confirm.code': 'Code reçu par e-mail', confirm: 'Confirmer',
		'confirmed': 'Merci, votre inscription est confirmée.',
		'err.wrong_code': 'Ce code n’est pas le bon. Vérifiez-le et réessayez.',
		'err.expired': 'Ce code a expiré ou a déjà servi : renvoyez le formulaire.',
	},
	en: {
		'form.title': 'Form', center: 'Privacy center', skip: 'Skip to content',
		'forms.h': 'Our forms', 'required.note': 'Fields marked * are required.',
		required: 'required', purpose: 'Purpose: {p}', send: 'Send',
		'notice': 'To learn how we use your data and how to exercise your rights, read our {link}.',
		'notice.link': 'privacy notice',
		'sent': 'Thank you, your submission was received.',
		'unknown': 'This form does not exist.', 'load.fail': 'The form could not be loaded.',
		'err.consent_required': 'Tick the consent box to send this form.',
		'err.required': 'This field is required.',
		'err.field': '{label}: {msg}',
		'confirm.sent': 'To confirm, enter the 6-digit code we just sent to your email address. Nothing is kept before.',
		'confirm.waiting': 'To confirm, enter the 6-digit code that will leave for your email address as soon as our mail service allows. Nothing is kept before.',
		'confirm.code': 'Code received by email', confirm: 'Confirm',
		'confirmed': 'Thank you, your subscription is confirmed.',
		'err.wrong_code': 'This code is not the right one. Check it and try again.',
		'err.expired': 'This code has expired or was already used: send the form again.',
	},
});

const $ = id => document.getElementById(id);
const activityId = new URLSearchParams(location.search).get('activity');
const INPUT_TYPES = { email: 'email', phone: 'tel' };
let sent = false, pending = null; // pending: the double opt-in code form

async function render() {
	const app = $('app'), msg = $('form-msg');
	// keep what was typed when the language changes
	const typed = {};
	app.querySelectorAll('input[name], textarea[name]').forEach(n => {
		typed[n.name] = n.type === 'checkbox' ? n.checked : n.value;
	});
	const res = await api('/v1/activities?lang=' + getLang());
	if (!res.ok) return say(msg, t('load.fail'), 'err');
	const acts = res.data.activities.filter(a => a.collects);
	if (!activityId) {
		document.title = t('forms.h');
		return app.replaceChildren(el('h1', { text: t('forms.h') }), el('ul', { class: 'links' },
			acts.map(a => el('li', {}, el('a', { href: '?activity=' + encodeURIComponent(a.id), text: a.name || a.id })))));
	}
	const a = acts.find(x => x.id === activityId);
	if (!a) return app.replaceChildren(el('h1', { text: t('unknown') }));
	document.title = a.name || a.id;
	const notice = `/v1/notice?lang=${getLang()}&format=html`;
	const [before, after] = t('notice').split('{link}');

	const form = el('form', { id: 'pdv-form' },
		el('p', { class: 'hint', text: t('required.note') }),
		a.fields.map(f => {
			const id = 'f-' + f.name;
			// long free text (messages) gets a textarea
			const long = f.type === 'text' && /message|need|request|comment|logs/.test(f.name);
			const input = el(long ? 'textarea' : 'input', { id, name: f.name,
				type: long ? undefined : (INPUT_TYPES[f.type] || 'text'),
				required: f.required, 'aria-required': f.required ? 'true' : undefined,
				autocomplete: { email: 'email', first_name: 'given-name', last_name: 'family-name',
					name: 'name', phone: 'tel', company: 'organization' }[f.name] || undefined,
				'aria-describedby': 'e-' + f.name });
			if (typed[f.name] !== undefined) input.value = typed[f.name];
			return el('div', { class: 'field' },
				el('label', { for: id }, fieldLabel(f.name),
					f.required ? [' ', el('span', { class: 'req', 'aria-hidden': 'true', text: '*' }),
						el('span', { class: 'sr-only', text: ' (' + t('required') + ')' })] : ''),
				input, el('p', { id: 'e-' + f.name, class: 'hint err-text' }));
		}),
		// the consent box: never ticked in advance (Art. 4(11), 7), the declared words
		a.consent ? el('div', { class: 'check' },
			el('input', { type: 'checkbox', id: 'f-consent', name: 'consent',
				'aria-describedby': 'e-consent', checked: typed.consent === true }),
			el('label', { for: 'f-consent', text: a.consent_text || '' })) : '',
		a.consent ? el('p', { id: 'e-consent', class: 'hint err-text' }) : '',
		el('p', {}, before, el('a', { href: notice, text: t('notice.link') }), after),
		el('button', { type: 'submit', text: t('send') }));

	form.addEventListener('submit', e => { e.preventDefault(); submit(a, form); });
	app.replaceChildren(el('h1', { text: a.name || a.id }),
		...a.purposes.map(p => el('p', { text: t('purpose', { p }) })), sent ? (pending || '') : form);
}

async function submit(a, form) {
	const msg = $('form-msg');
	form.querySelectorAll('[aria-invalid]').forEach(n => n.removeAttribute('aria-invalid'));
	form.querySelectorAll('.err-text').forEach(n => { n.textContent = ''; });
	const fields = {};
	for (const f of a.fields) {
		const v = form.elements[f.name].value.trim();
		if (v) fields[f.name] = v;
	}
	const body = { fields, lang: getLang() };
	if (a.consent) body.consent = form.elements.consent.checked;
	say(msg, t('busy'));
	const res = await api(`/v1/activities/${encodeURIComponent(a.id)}/submissions`, { method: 'POST', body });
	if (res.ok && res.data.confirmation) return confirmStep(res.data, form);
	if (res.ok) { // 201 collected, or 202 accepted (nothing is said of an objection)
		sent = true;
		form.remove();
		return say(msg, t('sent'), 'ok');
	}
	// point at the field the server names, and put the focus on it
	const e = res.data.error || {};
	const text = errorText(res);
	const input = e.field && (e.field === 'consent' ? $('f-consent') : $('f-' + e.field));
	if (input) {
		input.setAttribute('aria-invalid', 'true');
		$('e-' + e.field).textContent = text;
		input.focus();
		const label = e.field === 'consent' ? '' : fieldLabel(e.field);
		return say(msg, label ? t('err.field', { label, msg: text }) : text, 'err');
	}
	say(msg, text, 'err');
}

/* double opt-in: nothing is kept until the code sent to the address comes
   back through POST /v1/verify {confirmation, code} */
function confirmStep(data, form) {
	const msg = $('form-msg');
	sent = true;
	const code = el('input', { id: 'f-code', type: 'text', inputmode: 'numeric', pattern: '[0-9]{6}',
		maxlength: '6', autocomplete: 'one-time-code', required: true });
	const step = el('form', { id: 'confirm-form' },
		el('div', { class: 'field' }, el('label', { for: 'f-code', text: t('confirm.code') }), code),
		el('button', { type: 'submit', text: t('confirm') }));
	step.addEventListener('submit', async e => {
		e.preventDefault();
		const res = await api('/v1/verify', { method: 'POST',
			body: { confirmation: data.confirmation, code: code.value.trim() } });
		if (!res.ok) {
			code.setAttribute('aria-invalid', 'true');
			return say(msg, errorText(res), 'err');
		}
		step.remove();
		pending = null;
		say(msg, t('confirmed'), 'ok');
	});
	pending = step;
	form.replaceWith(step);
	say(msg, t(data.delivery ? 'confirm.sent' : 'confirm.waiting'), 'info');
	code.focus();
}

initLang();
showController();
onLang(render);
render();
