// A person's page: their name where a name field exists, each record with
// its activity's name, phase and next step in words, consents, requests,
// why the sweep waits, the audit trail (the dpo's), and the actions in place
// (rectify, restrict, object, erase: each opens the request the DPO then
// works, or erases at once; export), each confirmed, each shown only to a
// role that may (the server refuses the others anyway).
import { addStrings, t, getLang, el, say, fmtDate, fieldLabel, download } from '/common.js';

addStrings({
	fr: {
		'pp.h': '{name}', 'pp.noname': 'Personne {id}', 'pp.records': 'Fiches', 'pp.phase': 'Phase',
		'pp.next': 'Prochaine étape', 'pp.next.none': 'aucune prévue', 'pp.held': 'En attente',
		'pp.held.request': 'une demande de la personne est en cours : les échéances attendent sa clôture',
		'pp.held.hold': 'gel pour un litige', 'pp.held.restricted': 'traitement limité (art. 18)',
		'pp.consents': 'Consentements', 'pp.consents.none': 'Aucun consentement enregistré.',
		'pp.requests': 'Demandes', 'pp.requests.none': 'Aucune demande.', 'pp.audit': 'Journal',
		'pp.actions': 'Actions', 'pp.act.rectification': 'Rectifier', 'pp.act.restriction': 'Limiter',
		'pp.act.objection': 'Opposition', 'pp.act.erasure': 'Demande d\u2019effacement',
		'pp.act.erase.now': 'Effacer maintenant', 'pp.act.export': 'Télécharger ses données', 'pp.format': 'Format de l\u2019export',
		'pp.confirm.request': 'Ouvrir une demande « {kind} » pour cette personne ?',
		'pp.confirm.erase': 'Effacer maintenant toutes les fiches effaçables de cette personne ?',
		'pp.opened': 'Demande {ref} ouverte.', 'pp.erased': '{n} fiche(s) effacée(s), {k} conservée(s).',
		'pp.collected': 'collectée le {at}', 'pp.by': '{actor} : {action}',
	},
	en: {
		'pp.h': '{name}', 'pp.noname': 'Person {id}', 'pp.records': 'Records', 'pp.phase': 'Phase',
		'pp.next': 'Next step', 'pp.next.none': 'none scheduled', 'pp.held': 'Waiting',
		'pp.held.request': 'a request of theirs is open: their deadlines wait for its close',
		'pp.held.hold': 'legal hold', 'pp.held.restricted': 'processing restricted (Art. 18)',
		'pp.consents': 'Consents', 'pp.consents.none': 'No consent recorded.',
		'pp.requests': 'Requests', 'pp.requests.none': 'No request.', 'pp.audit': 'Audit trail',
		'pp.actions': 'Actions', 'pp.act.rectification': 'Rectify', 'pp.act.restriction': 'Restrict',
		'pp.act.objection': 'Objection', 'pp.act.erasure': 'Erasure request',
		'pp.act.erase.now': 'Erase now', 'pp.act.export': 'Download their data', 'pp.format': 'Export format',
		'pp.confirm.request': 'Open a "{kind}" request for this person?',
		'pp.confirm.erase': 'Erase now every record of this person that may be erased?',
		'pp.opened': 'Request {ref} opened.', 'pp.erased': '{n} record(s) erased, {k} kept.',
		'pp.collected': 'collected on {at}', 'pp.by': '{actor}: {action}',
	},
});

/* ctx = {call, fail, status, token, role, openRequest(id): after a request is opened here} */
export async function renderPerson(node, id, ctx) {
	const res = await ctx.call(`/v1/subjects/${encodeURIComponent(id)}?lang=${getLang()}`);
	if (!res.ok) return ctx.fail(res);
	const p = res.data, dpo = ctx.role === 'dpo';
	const act = (label, fn) => el('button', { type: 'button', class: 'secondary', 'data-action': label, onclick: fn },
		t('pp.act.' + label));
	const openKind = kind => async () => {
		if (!window.confirm(t('pp.confirm.request', { kind: t('pp.act.' + kind) }))) return;
		const r = await ctx.call('/v1/requests', { method: 'POST', body: { kind, subject: p.subject } });
		if (!r.ok) return ctx.fail(r);
		say(ctx.status, t('pp.opened', { ref: r.data.reference }), 'ok');
		ctx.openRequest(r.data.request);
	};
	const actions = [];
	if (dpo) // these change what the vault does with the person: the dpo's (Art. 16-18, 21)
		actions.push(act('rectification', openKind('rectification')), act('restriction', openKind('restriction')),
			act('objection', openKind('objection')), act('erasure', openKind('erasure')),
			act('erase.now', async () => {
				if (!window.confirm(t('pp.confirm.erase'))) return;
				const r = await ctx.call('/v1/subjects/' + encodeURIComponent(p.subject), { method: 'DELETE' });
				if (!r.ok) return ctx.fail(r);
				say(ctx.status, t('pp.erased', { n: r.data.erased.length, k: r.data.kept.length }), 'ok');
			}));
	// the Art. 15 copy, in the format asked for
	const fmt = el('select', { id: 'person-format' },
		['html', 'json', 'csv'].map(f => el('option', { value: f, text: f.toUpperCase() })));
	actions.push(el('span', { class: 'field inline' }, el('label', { for: 'person-format', text: t('pp.format') }), fmt),
		act('export', async () => {
			const r = await download(`/v1/subjects/${encodeURIComponent(p.subject)}/export?format=${fmt.value}`,
				ctx.token);
			r.ok ? say(ctx.status, t('downloaded', { name: r.filename }), 'ok') : ctx.fail(r);
		}));
	node.replaceChildren(el('section', { id: 'person', 'aria-labelledby': 'person-h' },
		el('h2', { id: 'person-h', tabindex: '-1', text: p.name || t('pp.noname', { id: p.subject }) }),
		el('p', { class: 'id muted', text: p.subject }),
		el('div', { class: 'row', id: 'person-actions', role: 'group', 'aria-label': t('pp.actions') }, actions),
		p.held ? el('p', { class: 'msg info', id: 'person-held', text: `${t('pp.held')} : ${t('pp.held.' + p.held)}` }) : null,
		el('h3', { text: t('pp.records') }),
		p.records.map(r => el('article', { class: 'pp-record', 'data-record': r.record },
			el('h4', { text: r.activity_name || r.activity }),
			el('dl', { class: 'fields' },
				el('dt', { text: t('pp.phase') }), el('dd', { text: r.phase_words }),
				el('dt', { text: t('pp.next') }), el('dd', { text: r.next_words || t('pp.next.none') }),
				Object.entries(r.fields).map(([k, v]) => [el('dt', { text: fieldLabel(k) }),
					el('dd', { text: typeof v === 'string' ? v : JSON.stringify(v) })])),
			el('p', { class: 'muted', text: t('pp.collected', { at: fmtDate(r.collected_at) }) }))),
		el('h3', { text: t('pp.consents') }),
		p.consents.length ? el('ul', { id: 'person-consents' }, p.consents.map(c =>
			el('li', { text: `${c.activity}: ${c.state}${c.at ? ' (' + fmtDate(c.at) + ')' : ''}` })))
			: el('p', { text: t('pp.consents.none') }),
		el('h3', { text: t('pp.requests') }),
		p.requests.length ? el('ul', { id: 'person-requests' }, p.requests.map(q => el('li', {},
			el('a', { href: '/staff/requests/' + encodeURIComponent(q.request) },
				`${q.reference} — ${t('kind.' + q.kind)} — ${t('status.' + q.status)} — ${fmtDate(q.due)}`))))
			: el('p', { text: t('pp.requests.none') }),
		p.audit ? [el('h3', { text: t('pp.audit') }), el('ol', { id: 'person-audit' }, p.audit.slice(-50).map(e =>
			el('li', { text: `${fmtDate(e.at, true)} — ${t('pp.by', { actor: e.actor, action: e.action })}` })))] : null));
}
