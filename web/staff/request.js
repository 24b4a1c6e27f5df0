// Requests as the DPO works them: the list with who asked, filters and
// sorting; on a request's page, who asked, what a rectification asks, the
// timeline, private notes, and for an erasure the preview -> confirm ->
// result screens. Each function renders into the element it is given.
import { addStrings, t, getLang, el, say, fmtDate, fieldLabel, errorText, KINDS, messageText, actorText } from '/common.js';

addStrings({
	fr: {
		'rq.filter.status': 'Statut', 'rq.filter.kind': 'Type', 'rq.filter.within': 'Échéance dans (jours)',
		'rq.filter.sort': 'Trier par', 'rq.sort.due': 'échéance', 'rq.sort.received': 'réception',
		'rq.sort.-received': 'réception (récentes d\u2019abord)', 'rq.all': 'Tous', 'rq.apply': 'Filtrer',
		'rq.status.open': 'En cours', 'rq.status.overdue': 'En retard', 'rq.status.done': 'Traitées',
		'rq.status.refused': 'Refusées', 'rq.status.all': 'Toutes',
		'rq.col.who': 'Demandeur', 'rq.col.kind': 'Type', 'rq.col.received': 'Reçue le', 'rq.col.due': 'Échéance',
		'rq.col.left': 'Jours restants', 'rq.col.status': 'Statut', 'rq.open': 'Ouvrir {ref}',
		'rq.none': 'Aucune demande.', 'rq.who.none': '(inconnu)', 'rq.who.subject': 'une personne du registre (sans adresse)',
		'rq.asked': 'Demandée par', 'rq.rectify': 'À rectifier', 'rq.timeline': 'Historique',
		'rq.ev.received': 'Reçue', 'rq.ev.extended': 'Délai prolongé', 'rq.ev.note': 'Note',
		'rq.ev.done': 'Traitée', 'rq.ev.refused': 'Refusée', 'rq.ev.message': 'Message « {kind} » ({status})',
		'rq.ev.by': 'par {who}',
		'rq.st.queued': 'en attente d\u2019envoi', 'rq.st.sending': 'en cours d\u2019envoi', 'rq.st.sent': 'envoyé',
		'rq.st.failed': 'en échec',
		'rq.notes': 'Notes privées', 'rq.note.label': 'Nouvelle note (visible du seul DPO)',
		'rq.note.add': 'Ajouter la note', 'rq.note.ok': 'Note ajoutée.',
		'rq.preview': 'Voir ce qui sera effacé', 'rq.preview.h': 'Avant d\u2019effacer',
		'rq.preview.intro': 'Voici ce que la clôture de cette demande va faire. Rien n\u2019est encore effacé.',
		'rq.col.record': 'Fiche', 'rq.col.activity': 'Traitement', 'rq.col.what': 'Ce qui se passe',
		'rq.col.told': 'Destinataires informés (art. 19)',
		'rq.erased': 'effacée', 'rq.kept.hold': 'conservée : gel pour un litige (art. 17(3)(e))',
		'rq.kept.legal-obligation': 'conservée : obligation légale (art. 17(3)(b)){until}',
		'rq.until': ' jusqu\u2019au {at}',
		'rq.outcome.h': 'Ce que la clôture a fait', 'rq.outcome.erased': 'Effacé',
		'rq.outcome.kept': 'Conservé, et pourquoi', 'rq.outcome.none.erased': 'Rien n\u2019a été effacé.',
		'rq.outcome.line': '{name} : {n} fiche(s)',
		'rq.certificate': 'Télécharger le certificat d\u2019effacement signé',
		'rq.certificate.ok': 'Certificat téléchargé : {name} (délivrance inscrite au journal d\u2019audit).',
		'rq.why.hold': 'gel pour un litige (art. 17(3)(e))',
		'rq.why.legal-obligation': 'obligation légale de conservation (art. 17(3)(b))',
		'rq.why.retention': 'durée de conservation déclarée',
		'rq.result.kept': '{n} fiche(s) conservée(s) : voir ci-dessous.',
		'rq.nothing': 'Le coffre ne détient rien sur cette adresse : la clôture lui répondra « nous ne détenons aucune donnée vous concernant » (art. 15(1)).',
		'rq.confirm': 'Confirmer l\u2019effacement', 'rq.cancel': 'Annuler',
		'rq.confirm.ask': 'Effacer définitivement ces fiches ?',
		'rq.result.h': 'Résultat', 'rq.result.done': 'Demande close : {n} fiche(s) effacée(s).',
		'rq.result.nothing': 'Demande close : réponse « aucune donnée détenue » envoyée.',
		'rq.result.notices': 'Notifications aux destinataires : {list}', 'rq.result.no.notice': 'Aucun destinataire à informer.',
	},
	en: {
		'rq.filter.status': 'Status', 'rq.filter.kind': 'Kind', 'rq.filter.within': 'Due within (days)',
		'rq.filter.sort': 'Sort by', 'rq.sort.due': 'due date', 'rq.sort.received': 'received',
		'rq.sort.-received': 'received (latest first)', 'rq.all': 'All', 'rq.apply': 'Filter',
		'rq.status.open': 'Open', 'rq.status.overdue': 'Overdue', 'rq.status.done': 'Done',
		'rq.status.refused': 'Refused', 'rq.status.all': 'All',
		'rq.col.who': 'Who asked', 'rq.col.kind': 'Kind', 'rq.col.received': 'Received', 'rq.col.due': 'Due',
		'rq.col.left': 'Days left', 'rq.col.status': 'Status', 'rq.open': 'Open {ref}',
		'rq.none': 'No request.', 'rq.who.none': '(unknown)', 'rq.who.subject': 'a person of the register (no address)',
		'rq.asked': 'Asked by', 'rq.rectify': 'To rectify', 'rq.timeline': 'Timeline',
		'rq.ev.received': 'Received', 'rq.ev.extended': 'Deadline extended', 'rq.ev.note': 'Note',
		'rq.ev.done': 'Answered', 'rq.ev.refused': 'Refused', 'rq.ev.message': 'Message "{kind}" ({status})',
		'rq.ev.by': 'by {who}',
		'rq.st.queued': 'waiting to be sent', 'rq.st.sending': 'being sent', 'rq.st.sent': 'sent',
		'rq.st.failed': 'failed',
		'rq.notes': 'Private notes', 'rq.note.label': 'New note (seen by the DPO only)',
		'rq.note.add': 'Add the note', 'rq.note.ok': 'Note added.',
		'rq.preview': 'See what will be erased', 'rq.preview.h': 'Before erasing',
		'rq.preview.intro': 'This is what closing this request will do. Nothing is erased yet.',
		'rq.col.record': 'Record', 'rq.col.activity': 'Activity', 'rq.col.what': 'What happens',
		'rq.col.told': 'Recipients told (Art. 19)',
		'rq.erased': 'erased', 'rq.kept.hold': 'kept: legal hold for a claim (Art. 17(3)(e))',
		'rq.kept.legal-obligation': 'kept: legal obligation (Art. 17(3)(b)){until}',
		'rq.until': ' until {at}',
		'rq.outcome.h': 'What the close did', 'rq.outcome.erased': 'Erased',
		'rq.outcome.kept': 'Kept, and why', 'rq.outcome.none.erased': 'Nothing was erased.',
		'rq.outcome.line': '{name}: {n} record(s)',
		'rq.certificate': 'Download the signed deletion certificate',
		'rq.certificate.ok': 'Certificate downloaded: {name} (the issue is on the audit log).',
		'rq.why.hold': 'legal hold for a claim (Art. 17(3)(e))',
		'rq.why.legal-obligation': 'legal obligation to keep it (Art. 17(3)(b))',
		'rq.why.retention': 'the declared retention',
		'rq.result.kept': '{n} record(s) kept: see below.',
		'rq.nothing': 'The vault holds nothing about this address: closing answers "we hold no data about you" (Art. 15(1)).',
		'rq.confirm': 'Confirm the erasure', 'rq.cancel': 'Cancel',
		'rq.confirm.ask': 'Erase these records for good?',
		'rq.result.h': 'Result', 'rq.result.done': 'Request closed: {n} record(s) erased.',
		'rq.result.nothing': 'Request closed: "no data held" answer sent.',
		'rq.result.notices': 'Notices to recipients: {list}', 'rq.result.no.notice': 'No recipient to tell.',
	},
});

let lastResult = null;

const kindName = k => (t('kind.' + k) === 'kind.' + k ? k : t('kind.' + k));

function select(id, label, options, value) {
	return el('div', { class: 'field' }, el('label', { for: id, text: label }),
		el('select', { id }, options.map(([v, text]) => el('option', { value: v, text, selected: v === value }))));
}

/* the list: ctx = {call, fail(res), href(id): a request's page,
   filter(f): the filters chosen (the page puts them in its URL and renders
   again), current(): whether the list is still what the page shows} */
export async function renderRequestList(node, ctx, filters = {}) {
	const f = { status: 'open', kind: '', within: '', sort: 'due', ...filters };
	const q = new URLSearchParams({ status: f.status, sort: f.sort });
	if (f.kind) q.set('kind', f.kind);
	if (f.within) q.set('due_within', f.within);
	const res = await ctx.call('/v1/requests?' + q);
	if (ctx.current && !ctx.current()) return;
	if (!res.ok) return ctx.fail(res);
	const form = el('form', { class: 'row', id: 'rq-filters', onsubmit: e => {
		e.preventDefault();
		ctx.filter({ status: form.querySelector('#rq-status').value,
			kind: form.querySelector('#rq-kind').value, due_within: form.querySelector('#rq-within').value,
			sort: form.querySelector('#rq-sort').value });
	} },
	select('rq-status', t('rq.filter.status'), ['open', 'overdue', 'done', 'refused', 'all']
		.map(s => [s, t('rq.status.' + s)]), f.status),
	select('rq-kind', t('rq.filter.kind'), [['', t('rq.all')], ...KINDS.map(k => [k, kindName(k)])], f.kind),
	el('div', { class: 'field' }, el('label', { for: 'rq-within', text: t('rq.filter.within') }),
		el('input', { id: 'rq-within', type: 'number', min: '0', value: f.within })),
	select('rq-sort', t('rq.filter.sort'), ['due', 'received', '-received'].map(s => [s, t('rq.sort.' + s)]), f.sort),
	el('div', { class: 'field' }, el('button', { type: 'submit', text: t('rq.apply') })));
	const list = res.data.requests;
	node.replaceChildren(form, list.length ? el('div', { class: 'table-wrap' }, el('table', { id: 'rq-table' },
		el('thead', {}, el('tr', {}, ['rq.col.who', 'rq.col.kind', 'rq.col.received', 'rq.col.due',
			'rq.col.left', 'rq.col.status', 'col.reference'].map(k => el('th', { scope: 'col', text: t(k) })))),
		el('tbody', {}, list.map(r => el('tr', { 'data-request': r.request },
			el('td', { text: 'requester' in r ? who(r) : '—' }),
			el('td', { text: kindName(r.kind) }),
			el('td', { text: fmtDate(r.received) }), el('td', { text: fmtDate(r.due) }),
			el('td', { class: r.overdue ? 'overdue' : '', text: r.status !== 'open' ? '' : r.days_left == null ? '—' : String(r.days_left) }),
			el('td', { text: t('status.' + r.status) }),
			el('td', {}, el('a', { href: ctx.href(r.request) },
				t('rq.open', { ref: r.reference || r.request })))))))) : el('p', { text: t('rq.none') }));
}

/* who asked: the address it came from; for a request the staff opened for a
   person of the register, that (not "unknown": the person is known) */
const who = r => r.requester || t(r.subject ? 'rq.who.subject' : 'rq.who.none');

function eventText(e) {
	let s = e.what === 'message' ? t('rq.ev.message', { kind: messageText(e.kind) + (e.recipient ? ' → ' + e.recipient : ''),
		status: e.status ? t('rq.st.' + e.status) : '' }) : t('rq.ev.' + e.what);
	if (e.author) s += ' ' + t('rq.ev.by', { who: actorText(e.author) });
	if (e.text) s += ' : ' + e.text;
	return s;
}

/* a request's page: r is GET /v1/requests/{id}; ctx = {call, download(path),
   fail, status, dpo, activityName, changed()} */
export function renderRequestDesk(node, r, ctx) {
	const parts = [];
	if ('requester' in r)
		parts.push(el('dl', { class: 'fields', id: 'rq-who' },
			el('dt', { text: t('rq.asked') }), el('dd', { text: who(r) }),
			r.rectify ? [el('dt', { text: t('rq.rectify') }), el('dd', {}, el('ul', { id: 'rq-rectify' },
				Object.entries(r.rectify).map(([k, v]) => el('li', { text: `${fieldLabel(k)} → ${v}` }))))] : []));
	parts.push(el('h3', { text: t('rq.timeline') }), el('ol', { id: 'rq-timeline' },
		(r.timeline || []).map(e => el('li', { 'data-what': e.what },
			el('span', { class: 'muted', text: e.at ? fmtDate(e.at, true) : fmtDate(e.day) + ' ' }), ' ', eventText(e)))));
	if (ctx.dpo) {
		const area = el('textarea', { id: 'rq-note', rows: '2' });
		parts.push(el('h3', { text: t('rq.notes') }), el('form', { id: 'rq-note-form', onsubmit: async e => {
			e.preventDefault();
			const res = await ctx.call(`/v1/requests/${encodeURIComponent(r.request)}/notes`,
				{ method: 'POST', body: { text: area.value } });
			if (!res.ok) return ctx.fail(res);
			say(ctx.status, t('rq.note.ok'), 'ok');
			ctx.changed();
		} }, el('div', { class: 'field' }, el('label', { for: 'rq-note', text: t('rq.note.label') }), area),
		el('button', { type: 'submit', text: t('rq.note.add') })));
	}
	// an erasure answered: what it erased and what it kept, and why (the
	// deletion certificate's lists, in r.outcome; the dpo's, as the certificate is)
	if (ctx.dpo && r.kind === 'erasure' && r.status === 'done') {
		const box = el('section', { id: 'rq-outcome', 'aria-labelledby': 'rq-outcome-h' });
		parts.push(box);
		outcome(box, r, ctx);
	}
	const stage = el('div', { id: 'rq-stage' });
	if (ctx.dpo && r.status === 'open' && r.kind === 'erasure')
		parts.push(el('button', { type: 'button', id: 'rq-preview', onclick: () => preview(stage, r, ctx) },
			t('rq.preview')));
	parts.push(stage);
	node.replaceChildren(...parts);
	// the result of the close just made stays shown over the page's refresh
	if (lastResult && lastResult.request === r.request) stage.replaceChildren(lastResult.node);
}

/* what the erasure did, from the request's own answer (r.outcome: its
   deletion certificate's lists, read without issuing it); the signed
   certificate is downloaded only when asked, each download an issue on the
   audit log (certificate-issue) */
function outcome(box, r, ctx) {
	const c = r.outcome;
	if (!c) return; // none (an erasure closed before certificates): the timeline says it was answered
	// in the page's language where the page knows it; else as certified
	const name = a => {
		const n = ctx.activityName && ctx.activityName(a.activity);
		return n && n !== a.activity ? n : a.name || a.activity;
	};
	const line = (a, extra) => el('li', { 'data-activity': a.activity },
		t('rq.outcome.line', { name: name(a), n: a.records }) + (extra || ''));
	const why = a => ' — ' + (t('rq.why.' + a.why) === 'rq.why.' + a.why ? a.why : t('rq.why.' + a.why))
		+ (a.until ? t('rq.until', { at: fmtDate(a.until) }) : '');
	box.replaceChildren(el('h3', { id: 'rq-outcome-h', text: t('rq.outcome.h') }),
		el('h4', { text: t('rq.outcome.erased') }),
		(c.erased || []).length ? el('ul', { id: 'rq-erased' }, c.erased.map(a => line(a)))
			: el('p', { id: 'rq-erased', text: t('rq.outcome.none.erased') }),
		...((c.kept || []).length ? [el('h4', { text: t('rq.outcome.kept') }),
			el('ul', { id: 'rq-kept' }, c.kept.map(a => line(a, why(a))))] : []),
		el('p', {}, el('button', { type: 'button', id: 'rq-certificate', onclick: async () => {
			const res = await ctx.download(r.certificate);
			res.ok ? say(ctx.status, t('rq.certificate.ok', { name: res.filename }), 'ok') : ctx.fail(res);
		} }, t('rq.certificate'))));
}

function whatText(x) {
	if (x.what === 'erased') return t('rq.erased');
	return t('rq.kept.' + x.why, { until: x.kept_until ? t('rq.until', { at: fmtDate(x.kept_until) }) : '' });
}

async function preview(stage, r, ctx) {
	const res = await ctx.call(`/v1/requests/${encodeURIComponent(r.request)}/preview?lang=${getLang()}`);
	if (!res.ok) return ctx.fail(res);
	const p = res.data;
	stage.replaceChildren(el('section', { class: 'panel', id: 'rq-preview-screen', 'aria-labelledby': 'rq-preview-h' },
		el('h3', { id: 'rq-preview-h', tabindex: '-1', text: t('rq.preview.h') }),
		el('p', { text: p.nothing_held ? t('rq.nothing') : t('rq.preview.intro') }),
		p.records.length ? el('div', { class: 'table-wrap' }, el('table', {},
			el('thead', {}, el('tr', {}, ['rq.col.record', 'rq.col.activity', 'rq.col.what', 'rq.col.told']
				.map(k => el('th', { scope: 'col', text: t(k) })))),
			el('tbody', {}, p.records.map(x => el('tr', { 'data-what': x.what },
				el('td', { class: 'id', text: x.record }), el('td', { text: x.activity_name || x.activity }),
				el('td', { text: whatText(x) }), el('td', { text: x.told.map(d => d.name).join(', ') || '—' })))))) : null,
		el('p', { class: 'row' },
			el('button', { type: 'button', id: 'rq-confirm', onclick: () => confirmErase(stage, r, p, ctx) }, t('rq.confirm')),
			el('button', { type: 'button', class: 'secondary', onclick: () => stage.replaceChildren() }, t('rq.cancel')))));
	stage.querySelector('#rq-preview-h').focus();
}

async function confirmErase(stage, r, p, ctx) {
	if (!window.confirm(t('rq.confirm.ask'))) return;
	const res = await ctx.call(`/v1/requests/${encodeURIComponent(r.request)}/close`, { method: 'POST', body: {} });
	if (!res.ok) return ctx.fail(res);
	const erased = p.records.filter(x => x.what === 'erased').length, kept = p.records.length - erased;
	const notices = res.data.notices || [];
	stage.replaceChildren(el('section', { class: 'panel', id: 'rq-result', 'aria-labelledby': 'rq-result-h' },
		el('h3', { id: 'rq-result-h', tabindex: '-1', text: t('rq.result.h') }),
		el('p', { text: res.data.nothing_held ? t('rq.result.nothing') : t('rq.result.done', { n: erased })
			+ (kept ? ' ' + t('rq.result.kept', { n: kept }) : '') }),
		el('p', { text: notices.length ? t('rq.result.notices', { list: notices.map(n => `${n.name || n.recipient} (${n.status})`).join(', ') })
			: t('rq.result.no.notice') })));
	lastResult = { request: r.request, node: stage.firstChild };
	await ctx.changed(true);
	document.getElementById('rq-result-h').focus();
}

export { errorText };
