// The back office's page of one breach (issue 15): its timeline (aware,
// recorded, assessed, the authority's deadline, the authority told with its
// reference and "late", the people told), its Art. 33(3) items, and the
// forms to assess, describe and notify, each confirmed before it is sent.
// renderBreach(root, id, ctx) renders into root: a router calls it with the
// id from the URL; ctx = { call(path, opts), fail(res), warn(message) (a
// check of the page's own, before anything is sent), done(message),
// back() }. breachFlags(b) gives the flags of a register row (late, overdue,
// people still to be told). Data from the API is put in the page as text.
import { addStrings, t, getLang, el } from '/common.js';

addStrings({
	fr: {
		'bp.h': 'Violation connue depuis le {at}', 'bp.id': 'Identifiant : {id}', 'bp.back': 'Retour au registre des violations',
		'bp.timeline': 'Chronologie (registre, art. 33(5))',
		'bp.step.aware': 'Connaissance de la violation',
		'bp.step.recorded': 'Inscrite au registre',
		'bp.step.assessed': 'Risque évalué : {risk}',
		'bp.step.due': 'Échéance de la notification à l\u2019autorité (72 heures, art. 33(1))',
		'bp.step.due.none': 'Notification à l\u2019autorité non requise (risque improbable)',
		'bp.step.authority': 'Autorité notifiée',
		'bp.step.subjects': 'Personnes informées (art. 34)',
		'bp.time.unknown': 'heure non conservée',
		'bp.reference': 'Référence donnée par l\u2019autorité : {ref}',
		'bp.late.reason': 'Motifs du retard (art. 33(1)) : {text}',
		'bp.reason': 'Motifs : {text}',
		'bp.notices': '{n} avis envoyé(s) ; {u} personne(s) sans adresse',
		'bp.other.means': 'par d\u2019autres moyens',
		'flag.late': 'en retard', 'flag.overdue': 'échéance dépassée',
		'flag.to.tell': 'personnes à informer', 'flag.open': 'autorité à notifier',
		'bp.pending.authority': 'L\u2019autorité n\u2019est pas encore notifiée.',
		'bp.pending.people': 'Risque élevé : les personnes doivent encore être informées (art. 34(1)).',
		'bp.items': 'Contenu de la notification (art. 33(3))',
		'bp.nature': 'Nature de la violation (a)', 'bp.categories': 'Catégories de personnes et d\u2019enregistrements (a)',
		'bp.people': 'Nombre approximatif de personnes concernées (a)',
		'bp.records': 'Nombre approximatif d\u2019enregistrements concernés (a)',
		'bp.contact': 'DPO ou point de contact (b, de la déclaration)',
		'bp.consequences': 'Conséquences probables (c)', 'bp.measures': 'Mesures prises ou envisagées (d)',
		'bp.summary': 'Résumé', 'bp.none': '—',
		'bp.assess.h': 'Évaluer le risque', 'bp.risk': 'Risque pour les personnes', 'bp.risk.reason': 'Motifs de l\u2019évaluation',
		'bp.assess.go': 'Enregistrer l\u2019évaluation',
		'bp.describe.h': 'Décrire la violation (art. 33(3))',
		'bp.describe.hint': 'Chaque élément peut être donné plus tard (art. 33(4)) ; un champ laissé vide garde sa valeur.',
		'bp.describe.go': 'Enregistrer la description',
		'bp.authority.h': 'Notifier l\u2019autorité (art. 33)',
		'bp.at': 'Notifiée le (votre heure locale)', 'bp.ref': 'Référence donnée par l\u2019autorité (facultatif)',
		'bp.late.h': 'Motifs du retard (obligatoires après 72 heures, art. 33(1))',
		'bp.authority.go': 'Enregistrer la notification à l\u2019autorité',
		'bp.people.h': 'Informer les personnes (art. 34)',
		'bp.people.how': 'Comment', 'bp.people.send': 'Envoyer l\u2019avis aux personnes de ces activités',
		'bp.people.other': 'Déjà informées par d\u2019autres moyens',
		'bp.people.at': 'Informées le (votre heure locale)',
		'bp.people.go': 'Enregistrer l\u2019information des personnes',
		'bp.confirm': 'Confirmer', 'bp.cancel': 'Annuler', 'bp.confirm.h': 'À confirmer',
		'bp.confirm.assess': 'Enregistrer le risque « {risk} » pour la violation {id} ?',
		'bp.confirm.describe': 'Enregistrer ces éléments de la violation {id} ?',
		'bp.confirm.authority': 'Enregistrer que l\u2019autorité a été notifiée le {at}{late} ?',
		'bp.confirm.late': ', après l\u2019échéance (en retard)',
		'bp.confirm.send': 'Envoyer l\u2019avis de violation aux personnes de : {acts} ?',
		'bp.confirm.other': 'Enregistrer que les personnes ont été informées le {at} ?',
		'bp.done.assess': 'Évaluation enregistrée.', 'bp.done.describe': 'Description enregistrée.',
		'bp.done.authority': 'Notification à l\u2019autorité enregistrée.',
		'bp.done.late': 'Notification enregistrée en retard, avec ses motifs (art. 33(1)).',
		'bp.done.people': 'Information des personnes enregistrée.',
		'bp.need.late': 'Après 72 heures, donnez les motifs du retard (art. 33(1)).',
		'bp.need.acts': 'Choisissez au moins une activité.',
		'bp.need.any': 'Remplissez au moins un élément.',
		'card.to.tell': 'Violations à risque élevé : personnes à informer',
		'bp.open': 'Ouvrir',
	},
	en: {
		'bp.h': 'Breach known since {at}', 'bp.id': 'Identifier: {id}', 'bp.back': 'Back to the breach register',
		'bp.timeline': 'Timeline (register, Art. 33(5))',
		'bp.step.aware': 'Became aware of the breach',
		'bp.step.recorded': 'Recorded in the register',
		'bp.step.assessed': 'Risk assessed: {risk}',
		'bp.step.due': 'The authority\u2019s deadline (72 hours, Art. 33(1))',
		'bp.step.due.none': 'No notification to the authority required (risk unlikely)',
		'bp.step.authority': 'Authority notified',
		'bp.step.subjects': 'People told (Art. 34)',
		'bp.time.unknown': 'time not kept',
		'bp.reference': 'Reference given by the authority: {ref}',
		'bp.late.reason': 'Reasons for the delay (Art. 33(1)): {text}',
		'bp.reason': 'Reasons: {text}',
		'bp.notices': '{n} notice(s) sent; {u} person(s) without an address',
		'bp.other.means': 'by other means',
		'flag.late': 'late', 'flag.overdue': 'overdue',
		'flag.to.tell': 'people to tell', 'flag.open': 'authority to notify',
		'bp.pending.authority': 'The authority is not notified yet.',
		'bp.pending.people': 'High risk: the people must still be told (Art. 34(1)).',
		'bp.items': 'What the notification must say (Art. 33(3))',
		'bp.nature': 'Nature of the breach (a)', 'bp.categories': 'Categories of people and of records (a)',
		'bp.people': 'Approximate number of people concerned (a)',
		'bp.records': 'Approximate number of records concerned (a)',
		'bp.contact': 'DPO or contact point (b, from the declaration)',
		'bp.consequences': 'Likely consequences (c)', 'bp.measures': 'Measures taken or proposed (d)',
		'bp.summary': 'Summary', 'bp.none': '—',
		'bp.assess.h': 'Assess the risk', 'bp.risk': 'Risk to the people', 'bp.risk.reason': 'Reasons for the assessment',
		'bp.assess.go': 'Record the assessment',
		'bp.describe.h': 'Describe the breach (Art. 33(3))',
		'bp.describe.hint': 'Each item may be given later (Art. 33(4)); a field left empty keeps its value.',
		'bp.describe.go': 'Record the description',
		'bp.authority.h': 'Notify the authority (Art. 33)',
		'bp.at': 'Notified on (your local time)', 'bp.ref': 'Reference given by the authority (optional)',
		'bp.late.h': 'Reasons for the delay (required after 72 hours, Art. 33(1))',
		'bp.authority.go': 'Record the notification to the authority',
		'bp.people.h': 'Tell the people (Art. 34)',
		'bp.people.how': 'How', 'bp.people.send': 'Send the notice to the people of these activities',
		'bp.people.other': 'Already told by other means',
		'bp.people.at': 'Told on (your local time)',
		'bp.people.go': 'Record that the people are told',
		'bp.confirm': 'Confirm', 'bp.cancel': 'Cancel', 'bp.confirm.h': 'Please confirm',
		'bp.confirm.assess': 'Record the risk "{risk}" for breach {id}?',
		'bp.confirm.describe': 'Record these items of breach {id}?',
		'bp.confirm.authority': 'Record that the authority was notified on {at}{late}?',
		'bp.confirm.late': ', after its deadline (late)',
		'bp.confirm.send': 'Send the breach notice to the people of: {acts}?',
		'bp.confirm.other': 'Record that the people were told on {at}?',
		'bp.done.assess': 'Assessment recorded.', 'bp.done.describe': 'Description recorded.',
		'bp.done.authority': 'Notification to the authority recorded.',
		'bp.done.late': 'Notification recorded as late, with its reasons (Art. 33(1)).',
		'bp.done.people': 'Recorded that the people are told.',
		'bp.need.late': 'After 72 hours, give the reasons for the delay (Art. 33(1)).',
		'bp.need.acts': 'Choose at least one activity.',
		'bp.need.any': 'Fill in at least one item.',
		'card.to.tell': 'High-risk breaches: people to tell',
		'bp.open': 'Open',
	},
});

/* a time with its zone: the 72-hour clock is counted to the minute */
export function fmtTime(s) {
	if (!s) return '';
	// a time outside years 1..9999 comes as a marker (0000-00-00T00:00:00Z,
	// 9999-99-99T99:99:99Z), no date: shown as it is, as fmtDate does
	const d = new Date(s);
	if (isNaN(d)) return s;
	return new Intl.DateTimeFormat(getLang() === 'fr' ? 'fr-FR' : 'en-GB',
		{ dateStyle: 'long', timeStyle: 'long' }).format(d);
}

/* a datetime-local value as the API reads it: local time with its offset */
function withOffset(v) {
	const d = new Date(v);
	if (isNaN(d)) return null;
	const off = -d.getTimezoneOffset(), a = Math.abs(off), p2 = n => String(n).padStart(2, '0');
	return `${v.slice(0, 16)}${off < 0 ? '-' : '+'}${p2(Math.floor(a / 60))}:${p2(a % 60)}`;
}

/* now, as a datetime-local value */
function localNow() {
	const d = new Date(), p2 = n => String(n).padStart(2, '0');
	return `${d.getFullYear()}-${p2(d.getMonth() + 1)}-${p2(d.getDate())}T${p2(d.getHours())}:${p2(d.getMinutes())}`;
}

/** The flags of a breach in the register: late, overdue, people still to be told. */
export function breachFlags(b) {
	const flags = [];
	if (b.late) flags.push(['flag.late', 'bad']);
	if (b.overdue) flags.push(['flag.overdue', 'bad']);
	else if (b.authority_required && !b.authority_notified) flags.push(['flag.open', '']);
	if (b.people_to_tell) flags.push(['flag.to.tell', 'bad']);
	return flags.map(([k, c]) => el('span', { class: 'flag ' + c, text: t(k) }));
}

function field(id, label, input) {
	return el('div', { class: 'field' }, el('label', { for: id, text: label }), input);
}

/* ask before sending: the question, then Confirm or Cancel in place of the form's button */
function confirmThen(form, question, action) {
	form.querySelector('.confirm')?.remove();
	const box = el('div', { class: 'confirm panel', role: 'alertdialog', 'aria-labelledby': form.id + '-q' },
		el('p', { id: form.id + '-q', text: question }),
		el('button', { type: 'button', onclick: async () => { box.remove(); await action(); } }, t('bp.confirm')),
		' ',
		el('button', { type: 'button', class: 'secondary', onclick: () => box.remove() }, t('bp.cancel')));
	form.append(box);
	box.querySelector('button').focus();
}

function timeline(b) {
	const at = s => s ? el('time', { datetime: s, text: fmtTime(s) }) : el('span', { class: 'muted', text: t('bp.time.unknown') });
	const steps = [];
	const step = (when, label, ...more) => steps.push(el('li', {}, at(when), ' — ', el('strong', { text: label }),
		...more.filter(Boolean).map(m => el('div', { class: 'muted' }, m))));
	for (const e of b.timeline) {
		if (e.step === 'aware') step(e.at, t('bp.step.aware'));
		if (e.step === 'recorded') step(e.at, t('bp.step.recorded'));
		if (e.step === 'assessed') step(e.at, t('bp.step.assessed', { risk: t('risk.' + e.risk) }),
			e.reason && t('bp.reason', { text: e.reason }));
		if (e.step === 'authority-due') step(e.at, t(e.required ? 'bp.step.due' : 'bp.step.due.none'),
			b.overdue && el('span', { class: 'flag bad', text: t('flag.overdue') }));
		if (e.step === 'authority') step(e.at, t('bp.step.authority'),
			e.late && el('span', { class: 'flag bad', text: t('flag.late') }),
			e.reference && t('bp.reference', { ref: e.reference }),
			e.reason && t('bp.late.reason', { text: e.reason }));
		if (e.step === 'subjects') step(e.at, t('bp.step.subjects'),
			e.notices === null ? t('bp.other.means') : t('bp.notices', { n: e.notices, u: e.unreachable }));
	}
	return el('ol', { class: 'timeline', id: 'bp-timeline' }, steps);
}

function items(b) {
	const row = (k, v) => [el('dt', { text: t(k) }), el('dd', { text: v === null || v === undefined ? t('bp.none') : String(v) })];
	return el('dl', { class: 'kv', id: 'bp-items' },
		row('bp.summary', b.summary), row('bp.nature', b.nature), row('bp.categories', b.categories),
		row('bp.people', b.people), row('bp.records', b.records), row('bp.contact', b.contact),
		row('bp.consequences', b.consequences), row('bp.measures', b.measures));
}

function assessForm(b, ctx, reload) {
	const risk = el('select', { id: 'bp-risk', required: true },
		['unlikely', 'risk', 'high'].map(r => el('option', { value: r, text: t('risk.' + r) })));
	if (b.risk !== 'unassessed') risk.value = b.risk;
	const reason = el('textarea', { id: 'bp-risk-reason', required: true, maxlength: 65536 });
	const form = el('form', { id: 'bp-assess' }, el('h3', { text: t('bp.assess.h') }),
		field('bp-risk', t('bp.risk'), risk), field('bp-risk-reason', t('bp.risk.reason'), reason),
		el('button', { type: 'submit' }, t('bp.assess.go')));
	form.addEventListener('submit', e => {
		e.preventDefault();
		confirmThen(form, t('bp.confirm.assess', { risk: t('risk.' + risk.value), id: b.breach }), async () => {
			const res = await ctx.call(`/v1/breaches/${encodeURIComponent(b.breach)}/assess`,
				{ method: 'POST', body: { risk: risk.value, reason: reason.value.trim() } });
			if (!res.ok) return ctx.fail(res);
			// said once the page shows what changed
			await reload();
			ctx.done(t('bp.done.assess'));
		});
	});
	return form;
}

function describeForm(b, ctx, reload) {
	const text = id => el('textarea', { id, maxlength: 65536 });
	const num = id => el('input', { id, type: 'number', min: 0, step: 1, inputmode: 'numeric' });
	const f = { nature: text('bp-nature'), categories: text('bp-categories'), people: num('bp-n-people'),
		records: num('bp-n-records'), consequences: text('bp-consequences'), measures: text('bp-measures') };
	const form = el('form', { id: 'bp-describe' }, el('h3', { text: t('bp.describe.h') }),
		el('p', { class: 'hint', text: t('bp.describe.hint') }),
		field('bp-nature', t('bp.nature'), f.nature), field('bp-categories', t('bp.categories'), f.categories),
		field('bp-n-people', t('bp.people'), f.people), field('bp-n-records', t('bp.records'), f.records),
		field('bp-consequences', t('bp.consequences'), f.consequences),
		field('bp-measures', t('bp.measures'), f.measures),
		el('button', { type: 'submit' }, t('bp.describe.go')));
	form.addEventListener('submit', e => {
		e.preventDefault();
		const body = {};
		for (const [k, input] of Object.entries(f)) {
			const v = input.value.trim();
			if (v) body[k] = input.type === 'number' ? Number(v) : v;
		}
		if (!Object.keys(body).length) return ctx.warn(t('bp.need.any'));
		confirmThen(form, t('bp.confirm.describe', { id: b.breach }), async () => {
			const res = await ctx.call(`/v1/breaches/${encodeURIComponent(b.breach)}/describe`,
				{ method: 'POST', body });
			if (!res.ok) return ctx.fail(res);
			// said once the page shows what changed
			await reload();
			ctx.done(t('bp.done.describe'));
		});
	});
	return form;
}

function authorityForm(b, ctx, reload) {
	const at = el('input', { id: 'bp-at', type: 'datetime-local', required: true, value: localNow() });
	const ref = el('input', { id: 'bp-ref', maxlength: 128, autocomplete: 'off' });
	const reason = el('textarea', { id: 'bp-late-reason', maxlength: 65536 });
	const form = el('form', { id: 'bp-authority' }, el('h3', { text: t('bp.authority.h') }),
		field('bp-at', t('bp.at'), at), field('bp-ref', t('bp.ref'), ref),
		field('bp-late-reason', t('bp.late.h'), reason),
		el('button', { type: 'submit' }, t('bp.authority.go')));
	form.addEventListener('submit', e => {
		e.preventDefault();
		const when = withOffset(at.value);
		const late = when && new Date(when) > new Date(b.authority_due);
		if (late && !reason.value.trim()) {
			reason.setAttribute('aria-invalid', 'true');
			reason.focus();
			return ctx.warn(t('bp.need.late'));
		}
		reason.removeAttribute('aria-invalid');
		confirmThen(form, t('bp.confirm.authority', { at: fmtTime(when), late: late ? t('bp.confirm.late') : '' }), async () => {
			const body = { who: 'authority', at: when };
			if (ref.value.trim()) body.reference = ref.value.trim();
			if (reason.value.trim()) body.reason = reason.value.trim();
			const res = await ctx.call(`/v1/breaches/${encodeURIComponent(b.breach)}/notify`,
				{ method: 'POST', body });
			if (!res.ok) return ctx.fail(res);
			// said once the page shows what changed
			await reload();
			ctx.done(t(res.data.late ? 'bp.done.late' : 'bp.done.authority'));
		});
	});
	return form;
}

function peopleForm(b, ctx, reload, activities) {
	const send = el('input', { type: 'radio', name: 'bp-how', id: 'bp-how-send', value: 'send', checked: true });
	const other = el('input', { type: 'radio', name: 'bp-how', id: 'bp-how-other', value: 'other' });
	const boxes = activities.map(a => el('input', { type: 'checkbox', id: 'bp-act-' + a.id, value: a.id }));
	const at = el('input', { id: 'bp-people-at', type: 'datetime-local', value: localNow() });
	const form = el('form', { id: 'bp-people' }, el('h3', { text: t('bp.people.h') }),
		el('fieldset', {}, el('legend', { text: t('bp.people.how') }),
			el('div', {}, send, ' ', el('label', { for: 'bp-how-send', text: t('bp.people.send') })),
			el('ul', { class: 'plain' }, activities.map((a, i) => el('li', {}, boxes[i], ' ',
				el('label', { for: 'bp-act-' + a.id, text: a.name ? `${a.name} (${a.id})` : a.id })))),
			el('div', {}, other, ' ', el('label', { for: 'bp-how-other', text: t('bp.people.other') }))),
		field('bp-people-at', t('bp.people.at'), at),
		el('button', { type: 'submit' }, t('bp.people.go')));
	form.addEventListener('submit', e => {
		e.preventDefault();
		const acts = boxes.filter(x => x.checked).map(x => x.value);
		if (send.checked && !acts.length) return ctx.warn(t('bp.need.acts'));
		const when = withOffset(at.value);
		const q = send.checked ? t('bp.confirm.send', { acts: acts.join(', ') }) : t('bp.confirm.other', { at: fmtTime(when) });
		confirmThen(form, q, async () => {
			const body = send.checked ? { who: 'subjects', activities: acts } : { who: 'subjects', at: when };
			const res = await ctx.call(`/v1/breaches/${encodeURIComponent(b.breach)}/notify`,
				{ method: 'POST', body });
			if (!res.ok) return ctx.fail(res);
			// said once the page shows what changed
			await reload();
			ctx.done(t('bp.done.people'));
		});
	});
	return form;
}

const drawn = new WeakMap(); /* root -> the number of its latest render */

/** Render breach `id` into `root` (see the header for ctx); the breach, or
    null when it failed or a later render took its place. */
export async function renderBreach(root, id, ctx) {
	const reload = () => renderBreach(root, id, ctx);
	const mine = (drawn.get(root) || 0) + 1;
	drawn.set(root, mine);
	const [res, acts] = await Promise.all([ctx.call(`/v1/breaches/${encodeURIComponent(id)}`),
		ctx.call(`/v1/activities?lang=${getLang()}`)]);
	// a later render (a reload after a form, another breach) was asked for
	// meanwhile: its answer, newer, is the one shown
	if (drawn.get(root) !== mine) return null;
	if (!res.ok) return ctx.fail(res);
	const b = res.data;
	const activities = acts.ok ? acts.data.activities : [];
	const pending = [];
	if (b.authority_required && !b.authority_notified) pending.push(el('p', { class: 'msg err', text: t('bp.pending.authority') }));
	if (b.people_to_tell) pending.push(el('p', { class: 'msg err', text: t('bp.pending.people') }));
	// replaceChildren takes nodes only: no array, no null
	root.replaceChildren(...[
		el('p', {}, el('button', { type: 'button', class: 'link', onclick: () => ctx.back() }, t('bp.back'))),
		// named by when it became known, as a DPO speaks of it; the id below, to quote
		el('h1', { id: 'bp-h', tabindex: -1, text: t('bp.h', { at: fmtTime(b.aware_at) }) }),
		el('p', { class: 'id muted', id: 'bp-id', text: t('bp.id', { id: b.breach }) }),
		el('p', { class: 'flags' }, breachFlags(b)),
		...pending,
		el('h2', { text: t('bp.timeline') }), timeline(b),
		el('h2', { text: t('bp.items') }), items(b),
		assessForm(b, ctx, reload),
		describeForm(b, ctx, reload),
		b.authority_notified ? null : authorityForm(b, ctx, reload),
		b.subjects_notified || !b.subjects_required ? null : peopleForm(b, ctx, reload, activities),
	].filter(Boolean));
	return b;
}
