// A person's page: their name where a name field exists, each record with
// its activity's name, phase and next step in words, consents and their
// history (each grant, withdrawal and renewal with its proof), legal holds
// (the dpo's), requests, why the sweep waits, the audit trail (the dpo's),
// and the actions in place, each confirmed in the page, each shown only to a
// role that may (the server refuses the others anyway): rectify a record's
// field, restrict (or lift it), object where Art. 21 applies, place and lift
// a hold, open an erasure request or erase at once, export.
import { addStrings, t, getLang, el, say, fmtDate, fieldLabel, download, auditText, actorText } from '/common.js';

addStrings({
	fr: {
		'pp.h': '{name}', 'pp.noname': 'Personne {id}', 'pp.records': 'Fiches', 'pp.phase': 'Phase',
		'pp.next': 'Prochaine étape', 'pp.next.none': 'aucune prévue', 'pp.held': 'En attente',
		'pp.held.request': 'une demande de la personne est en cours : les échéances attendent sa clôture',
		'pp.held.hold': 'gel pour un litige', 'pp.held.restricted': 'traitement limité (art. 18)',
		'pp.consents': 'Consentements', 'pp.consents.none': 'Aucun consentement enregistré.',
		'pp.history': 'Historique des consentements', 'pp.history.none': 'Aucun consentement donné, retiré ni renouvelé.',
		'pp.col.purpose': 'Finalité', 'pp.col.what': 'Événement', 'pp.col.at': 'Date', 'pp.col.proof': 'Preuve',
		'pp.what.granted': 'donné', 'pp.what.withdrawn': 'retiré', 'pp.what.renewed': 'renouvelé',
		'pp.proof.version': 'texte {v}', 'pp.proof.record': 'fiche « {name} »', 'pp.proof.record.of': 'fiche « {name} » ({ref})', 'pp.proof.ref': 'réf. {ref}',
		'pp.channel.web': 'formulaire en ligne', 'pp.channel.web (double opt-in)': 'formulaire en ligne, confirmé par e-mail',
		'pp.channel.cli': 'saisi par l\u2019équipe (ligne de commande)', 'pp.channel.import': 'import de fichier',
		'pp.channel.renewal link': 'lien de renouvellement envoyé à la personne',
		'pp.requests': 'Demandes', 'pp.requests.none': 'Aucune demande.', 'pp.audit': 'Journal',
		'pp.actions': 'Actions', 'pp.act.restriction': 'Limiter le traitement', 'pp.act.restriction.lift': 'Lever la limitation',
		'pp.act.erasure': 'Demande d\u2019effacement', 'pp.act.erase.now': 'Effacer maintenant',
		'pp.act.export': 'Télécharger ses données', 'pp.format': 'Format de l\u2019export',
		'pp.act.rectify': 'Rectifier', 'pp.act.object': 'Opposition (art. 21)',
		'pp.confirm': 'Confirmer', 'pp.cancel': 'Annuler',
		'pp.confirm.request': 'Ouvrir une demande « {kind} » pour cette personne ?',
		'pp.confirm.erase': 'Effacer maintenant toutes les fiches effaçables de cette personne ?',
		'pp.confirm.restrict': 'Limiter le traitement de toutes les fiches de cette personne (art. 18) ? Elles seront conservées, non utilisées, et les destinataires prévenus.',
		'pp.confirm.unrestrict': 'Lever la limitation du traitement de cette personne ?',
		'pp.confirm.object': 'Enregistrer l\u2019opposition de la personne au traitement « {activity} » ?',
		'pp.confirm.rectify': 'Remplacer « {field} » de la fiche « {activity} » par la nouvelle valeur ?',
		'pp.confirm.hold': 'Geler les fiches de cette personne (aucune suppression ni effacement tant que le gel dure) ?',
		'pp.confirm.lift': 'Lever ce gel ?',
		'pp.opened': 'Demande {ref} ouverte.', 'pp.erased': '{n} fiche(s) effacée(s), {k} conservée(s).',
		'pp.restricted': 'Traitement limité.', 'pp.unrestricted': 'Limitation levée.',
		'pp.objected': 'Opposition enregistrée : {e} fiche(s) close(s), {r} limitée(s), {k} conservée(s).',
		'pp.rectified': 'Fiche rectifiée.', 'pp.held.placed': 'Gel posé.', 'pp.held.lifted': 'Gel levé.',
		'pp.rectify.field': 'Champ à rectifier', 'pp.rectify.value': 'Nouvelle valeur',
		'pp.holds': 'Gels (litiges)', 'pp.holds.none': 'Aucun gel.', 'pp.hold.reason': 'Motif du gel',
		'pp.hold.place': 'Geler', 'pp.hold.lift': 'Lever le gel',
		'pp.col.reason': 'Motif', 'pp.col.by': 'Posé par', 'pp.col.since': 'Depuis', 'pp.col.state': 'État',
		'pp.hold.inforce': 'en vigueur', 'pp.hold.lifted': 'levé le {at} par {by}',
		'pp.collected': 'collectée le {at}', 'pp.by': '{actor} : {action}', 'pp.audit.none': 'Aucune entrée.',
	},
	en: {
		'pp.h': '{name}', 'pp.noname': 'Person {id}', 'pp.records': 'Records', 'pp.phase': 'Phase',
		'pp.next': 'Next step', 'pp.next.none': 'none scheduled', 'pp.held': 'Waiting',
		'pp.held.request': 'a request of theirs is open: their deadlines wait for its close',
		'pp.held.hold': 'legal hold', 'pp.held.restricted': 'processing restricted (Art. 18)',
		'pp.consents': 'Consents', 'pp.consents.none': 'No consent recorded.',
		'pp.history': 'Consent history', 'pp.history.none': 'No consent given, withdrawn or renewed.',
		'pp.col.purpose': 'Purpose', 'pp.col.what': 'Event', 'pp.col.at': 'Date', 'pp.col.proof': 'Proof',
		'pp.what.granted': 'given', 'pp.what.withdrawn': 'withdrawn', 'pp.what.renewed': 'renewed',
		'pp.proof.version': 'text {v}', 'pp.proof.record': 'the “{name}” record', 'pp.proof.record.of': 'the “{name}” record ({ref})', 'pp.proof.ref': 'ref. {ref}',
		'pp.channel.web': 'online form', 'pp.channel.web (double opt-in)': 'online form, confirmed by email',
		'pp.channel.cli': 'entered by staff (command line)', 'pp.channel.import': 'file import',
		'pp.channel.renewal link': 'renewal link sent to the person',
		'pp.requests': 'Requests', 'pp.requests.none': 'No request.', 'pp.audit': 'Audit trail',
		'pp.actions': 'Actions', 'pp.act.restriction': 'Restrict processing', 'pp.act.restriction.lift': 'Lift the restriction',
		'pp.act.erasure': 'Erasure request', 'pp.act.erase.now': 'Erase now',
		'pp.act.export': 'Download their data', 'pp.format': 'Export format',
		'pp.act.rectify': 'Rectify', 'pp.act.object': 'Objection (Art. 21)',
		'pp.confirm': 'Confirm', 'pp.cancel': 'Cancel',
		'pp.confirm.request': 'Open a "{kind}" request for this person?',
		'pp.confirm.erase': 'Erase now every record of this person that may be erased?',
		'pp.confirm.restrict': 'Restrict the processing of every record of this person (Art. 18)? They are kept, not used, and the recipients told.',
		'pp.confirm.unrestrict': 'Lift the restriction of this person\u2019s processing?',
		'pp.confirm.object': 'Record the person\u2019s objection to "{activity}"?',
		'pp.confirm.rectify': 'Replace "{field}" of the "{activity}" record with the new value?',
		'pp.confirm.hold': 'Hold this person\u2019s records (nothing deleted or erased while the hold lasts)?',
		'pp.confirm.lift': 'Lift this hold?',
		'pp.opened': 'Request {ref} opened.', 'pp.erased': '{n} record(s) erased, {k} kept.',
		'pp.restricted': 'Processing restricted.', 'pp.unrestricted': 'Restriction lifted.',
		'pp.objected': 'Objection recorded: {e} record(s) ended, {r} restricted, {k} kept.',
		'pp.rectified': 'Record rectified.', 'pp.held.placed': 'Hold placed.', 'pp.held.lifted': 'Hold lifted.',
		'pp.rectify.field': 'Field to rectify', 'pp.rectify.value': 'New value',
		'pp.holds': 'Legal holds', 'pp.holds.none': 'No hold.', 'pp.hold.reason': 'Reason for the hold',
		'pp.hold.place': 'Place a hold', 'pp.hold.lift': 'Lift the hold',
		'pp.col.reason': 'Reason', 'pp.col.by': 'Placed by', 'pp.col.since': 'Since', 'pp.col.state': 'State',
		'pp.hold.inforce': 'in force', 'pp.hold.lifted': 'lifted on {at} by {by}',
		'pp.collected': 'collected on {at}', 'pp.by': '{actor}: {action}', 'pp.audit.none': 'No entry.',
	},
});

/* ask in the page before acting: the question, then Confirm or Cancel, after `where` */
function confirmThen(where, id, question, action) {
	document.getElementById(id)?.remove();
	const box = el('div', { class: 'confirm panel', id, role: 'alertdialog', 'aria-labelledby': id + '-q' },
		el('p', { id: id + '-q', text: question }),
		el('button', { type: 'button', onclick: async () => { box.remove(); await action(); } }, t('pp.confirm')),
		' ',
		el('button', { type: 'button', class: 'secondary', onclick: () => box.remove() }, t('pp.cancel')));
	where.after(box);
	box.querySelector('button').focus();
}

/* the server's words with their dates in words too ("deleted on 2027-12-08"
   -> "deleted on 8 December 2027") */
const datesInWords = text => text && text.replace(/\b\d{4}-\d{2}-\d{2}\b/g, d => fmtDate(d));

/* a consent's proof, in words: how it came, the text's version, the record
   (named by recordName: its activity, not its id) */
function proof(h, recordName) {
	const key = 'pp.channel.' + h.channel, said = t(key);
	return [said === key ? h.channel : said, h.version && t('pp.proof.version', { v: h.version }),
		h.record && recordName(h.record, h.activity)].filter(Boolean).join(' — ');
}

/* ctx = {call, fail, status, token, role, openRequest(id): after a request is opened here} */
export async function renderPerson(node, id, ctx) {
	const res = await ctx.call(`/v1/subjects/${encodeURIComponent(id)}?lang=${getLang()}`);
	if (!res.ok) return ctx.fail(res);
	const p = res.data, dpo = ctx.role === 'dpo', subj = encodeURIComponent(p.subject);
	let holds = [];
	if (dpo) { // the reasons are the dpo's: the others are not asked for them
		const h = await ctx.call(`/v1/subjects/${subj}/holds`);
		if (!h.ok) return ctx.fail(h);
		holds = h.data.holds;
	}
	const names = Object.fromEntries([...(p.consent_history || []), ...p.records]
		.filter(r => r.activity_name).map(r => [r.activity, r.activity_name]));
	const purpose = a => names[a] || a;
	/* a record named by its activity; where the person has had two records of
	   one activity, told apart by when it was collected (or, one gone, by the
	   start of its id) */
	const seen = {}, kept = Object.fromEntries(p.records.map(r => [r.record, r]));
	for (const r of [...(p.consent_history || []), ...p.records])
		if (r.record) (seen[r.activity] = seen[r.activity] || new Set()).add(r.record);
	const recordName = (rid, activity) => {
		const name = purpose(activity);
		if (seen[activity].size < 2) return t('pp.proof.record', { name });
		const r = kept[rid];
		return t('pp.proof.record.of', { name, ref: r ? t('pp.collected', { at: fmtDate(r.collected_at) })
			: t('pp.proof.ref', { ref: rid.slice(0, 8) }) });
	};
	/* after an act: the page again, with what it did said */
	const redo = async (text) => {
		await renderPerson(node, id, ctx);
		say(ctx.status, text, 'ok');
	};
	const act = (label, fn, text) => el('button', { type: 'button', class: 'secondary', 'data-action': label, onclick: fn },
		text || t('pp.act.' + label));
	const openKind = kind => async () => confirmThen(document.getElementById('person-actions'), 'person-confirm',
		t('pp.confirm.request', { kind: t('kind.' + kind) }), async () => {
			const r = await ctx.call('/v1/requests', { method: 'POST', body: { kind, subject: p.subject } });
			if (!r.ok) return ctx.fail(r);
			say(ctx.status, t('pp.opened', { ref: r.data.reference }), 'ok');
			ctx.openRequest(r.data.request);
		});
	const restricted = p.held === 'restricted';
	const actions = [];
	if (dpo) // these change what the vault does with the person: the dpo's (Art. 16-18, 21)
		actions.push(
			act('restriction', () => confirmThen(document.getElementById('person-actions'), 'person-confirm',
				t(restricted ? 'pp.confirm.unrestrict' : 'pp.confirm.restrict'), async () => {
					const r = await ctx.call(`/v1/subjects/${subj}/restriction`, { method: 'POST', body: { restricted: !restricted } });
					if (!r.ok) return ctx.fail(r);
					await redo(t(r.data.restricted ? 'pp.restricted' : 'pp.unrestricted'));
				}), t(restricted ? 'pp.act.restriction.lift' : 'pp.act.restriction')),
			act('erasure', openKind('erasure')),
			act('erase.now', () => confirmThen(document.getElementById('person-actions'), 'person-confirm',
				t('pp.confirm.erase'), async () => {
					const r = await ctx.call('/v1/subjects/' + subj, { method: 'DELETE' });
					if (!r.ok) return ctx.fail(r);
					say(ctx.status, t('pp.erased', { n: r.data.erased.length, k: r.data.kept.length }), 'ok');
				})));
	// the Art. 15 copy, in the format asked for
	const fmt = el('select', { id: 'person-format' },
		['html', 'json', 'csv'].map(f => el('option', { value: f, text: f.toUpperCase() })));
	actions.push(el('span', { class: 'field inline' }, el('label', { for: 'person-format', text: t('pp.format') }), fmt),
		act('export', async () => {
			const r = await download(`/v1/subjects/${subj}/export?format=${fmt.value}`, ctx.token);
			r.ok ? say(ctx.status, t('downloaded', { name: r.filename }), 'ok') : ctx.fail(r);
		}));

	/* a record, its rectification (any role, on a record it works with), and for
	   the dpo, where Art. 21 applies, the objection */
	const record = (r, i) => {
		const art = el('article', { class: 'pp-record', 'data-record': r.record },
			el('h4', { text: r.activity_name || r.activity }),
			el('dl', { class: 'fields' },
				el('dt', { text: t('pp.phase') }), el('dd', { text: datesInWords(r.phase_words) }),
				el('dt', { text: t('pp.next') }), el('dd', { class: 'pp-next', text: datesInWords(r.next_words) || t('pp.next.none') }),
				Object.entries(r.fields).map(([k, v]) => [el('dt', { text: fieldLabel(k) }),
					el('dd', { 'data-field': k, text: typeof v === 'string' ? v : JSON.stringify(v) })])),
			el('p', { class: 'muted', text: t('pp.collected', { at: fmtDate(r.collected_at) }) }));
		// a role corrects the records it works with; an archived or a
		// restricted one, and objecting, are the dpo's (docs/server.md)
		const mayRectify = dpo || (!restricted && (r.phase === 'active' || r.phase === 'renewal-pending'));
		if (!mayRectify) return art;
		const texts = Object.keys(r.fields).filter(k => typeof r.fields[k] === 'string');
		const field = el('select', { id: `pp-rf-${i}` }, texts.map(k => el('option', { value: k, text: fieldLabel(k) })));
		const value = el('input', { type: 'text', id: `pp-rv-${i}`, required: '', autocomplete: 'off' });
		const form = el('form', { class: 'row pp-rectify', 'aria-label': t('pp.act.rectify') + ' — ' + (r.activity_name || r.activity) },
			el('div', { class: 'field' }, el('label', { for: field.id, text: t('pp.rectify.field') }), field),
			el('div', { class: 'field' }, el('label', { for: value.id, text: t('pp.rectify.value') }), value),
			el('div', { class: 'field' }, el('button', { type: 'submit', class: 'secondary', 'data-action': 'rectify' }, t('pp.act.rectify'))));
		form.addEventListener('submit', e => {
			e.preventDefault();
			confirmThen(form, `pp-confirm-${i}`, t('pp.confirm.rectify', { field: fieldLabel(field.value), activity: r.activity_name || r.activity }), async () => {
				const q = await ctx.call(`/v1/subjects/${subj}/records/${encodeURIComponent(r.record)}/rectification`,
					{ method: 'POST', body: { fields: { [field.value]: value.value } } });
				if (!q.ok) return ctx.fail(q);
				await redo(t('pp.rectified'));
			});
		});
		if (texts.length) art.append(form);
		if (dpo && r.objectable) {
			const b = act('object', () => confirmThen(b, `pp-confirm-${i}`, t('pp.confirm.object', { activity: r.activity_name || r.activity }), async () => {
				const q = await ctx.call(`/v1/subjects/${subj}/objection`, { method: 'POST', body: { activity: r.activity } });
				if (!q.ok) return ctx.fail(q);
				await redo(t('pp.objected', { e: q.data.ended.length, r: q.data.restricted.length, k: q.data.kept.length }));
			}));
			art.append(el('p', {}, b));
		}
		return art;
	};

	/* the holds, and the form to place one (the dpo's) */
	const holdsPart = () => {
		if (!dpo) return null;
		const reason = el('textarea', { id: 'pp-hold-reason', required: '', rows: '2', maxlength: '4096' });
		const form = el('form', { id: 'pp-hold-form' },
			el('div', { class: 'field' }, el('label', { for: 'pp-hold-reason', text: t('pp.hold.reason') }), reason),
			el('button', { type: 'submit', 'data-action': 'hold' }, t('pp.hold.place')));
		form.addEventListener('submit', e => {
			e.preventDefault();
			confirmThen(form, 'pp-hold-confirm', t('pp.confirm.hold'), async () => {
				const r = await ctx.call(`/v1/subjects/${subj}/holds`, { method: 'POST', body: { reason: reason.value } });
				if (!r.ok) return ctx.fail(r);
				await redo(t('pp.held.placed'));
			});
		});
		return [el('h3', { id: 'pp-holds-h', text: t('pp.holds') }),
			holds.length ? el('table', { id: 'person-holds', 'aria-labelledby': 'pp-holds-h' },
				el('thead', {}, el('tr', {}, ['pp.col.reason', 'pp.col.by', 'pp.col.since', 'pp.col.state']
					.map(k => el('th', { scope: 'col', text: t(k) })))),
				el('tbody', {}, holds.map(h => {
					const cell = el('td', {});
					if (h.lifted_at)
						cell.append(t('pp.hold.lifted', { at: fmtDate(h.lifted_at), by: actorText(h.lifted_by) }));
					else {
						const b = el('button', { type: 'button', class: 'secondary', 'data-action': 'lift' }, t('pp.hold.lift'));
						b.addEventListener('click', () => confirmThen(b, 'pp-lift-confirm', t('pp.confirm.lift'), async () => {
							const r = await ctx.call('/v1/holds/' + encodeURIComponent(h.hold), { method: 'DELETE' });
							if (!r.ok) return ctx.fail(r);
							await redo(t('pp.held.lifted'));
						}));
						cell.append(t('pp.hold.inforce'), ' ', b);
					}
					return el('tr', { 'data-hold': h.hold, 'data-state': h.lifted_at ? 'lifted' : 'in-force' },
						el('td', { text: h.reason }), el('td', { text: actorText(h.placed_by) }),
						el('td', {}, el('time', { datetime: h.placed_at, text: fmtDate(h.placed_at) })), cell);
				})))
				: el('p', { text: t('pp.holds.none') }),
			form];
	};

	const history = p.consent_history || [];
	node.replaceChildren(el('section', { id: 'person', 'aria-labelledby': 'person-h' },
		el('h2', { id: 'person-h', tabindex: '-1', text: p.name || t('pp.noname', { id: p.subject }) }),
		el('p', { class: 'id muted', text: p.subject }),
		el('div', { class: 'row', id: 'person-actions', role: 'group', 'aria-label': t('pp.actions') }, actions),
		p.held ? el('p', { class: 'msg info', id: 'person-held', text: `${t('pp.held')} : ${t('pp.held.' + p.held)}` }) : null,
		el('h3', { text: t('pp.records') }),
		p.records.map(record),
		holdsPart(),
		el('h3', { text: t('pp.consents') }),
		p.consents.length ? el('ul', { id: 'person-consents' }, p.consents.map(c =>
			el('li', { text: `${purpose(c.activity)} — ${t('pp.what.' + c.state)}${c.at ? ' (' + fmtDate(c.at) + ')' : ''}` })))
			: el('p', { text: t('pp.consents.none') }),
		el('h3', { id: 'pp-history-h', text: t('pp.history') }),
		history.length ? el('table', { id: 'person-consent-history', 'aria-labelledby': 'pp-history-h' },
			el('thead', {}, el('tr', {}, ['pp.col.purpose', 'pp.col.what', 'pp.col.at', 'pp.col.proof']
				.map(k => el('th', { scope: 'col', text: t(k) })))),
			el('tbody', {}, history.map(h => el('tr', { 'data-what': h.what, 'data-activity': h.activity },
				el('td', { text: purpose(h.activity) }), el('td', { text: t('pp.what.' + h.what) }),
				el('td', {}, el('time', { datetime: h.at, text: fmtDate(h.at, true) })),
				el('td', { text: proof(h, recordName) })))))
			: el('p', { text: t('pp.history.none') }),
		el('h3', { text: t('pp.requests') }),
		p.requests.length ? el('ul', { id: 'person-requests' }, p.requests.map(q => el('li', {},
			el('a', { href: '/staff/requests/' + encodeURIComponent(q.request) },
				`${q.reference} — ${t('kind.' + q.kind)} — ${t('status.' + q.status)} — ${fmtDate(q.due)}`))))
			: el('p', { text: t('pp.requests.none') }),
		p.audit ? [el('h3', { text: t('pp.audit') }), p.audit.length ? el('ol', { id: 'person-audit' },
			p.audit.slice(-50).map(e => el('li', { 'data-audit': e.action },
				el('time', { datetime: e.at, text: fmtDate(e.at, true) }), ' — ',
				t('pp.by', { actor: actorText(e.actor), action: auditText(e.action) }),
				e.activity ? ' — ' + purpose(e.activity) : ''))) : el('p', { text: t('pp.audit.none') })] : null));
}
