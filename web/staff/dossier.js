// The back office's accountability dossier (issue 16): the dpo picks a
// period and downloads GET /v1/dossier, one self-contained HTML page to
// print or hand to an inspection (see pdvault-dossier(1)). The page is the
// server's; this file only asks for it.
// renderDossier(root, ctx) renders the form into root; ctx = {
// download(path) -> {ok, filename, ...}, done(message), fail(res) }.
import { addStrings, t, el } from '/common.js';

addStrings({
	fr: {
		'dos.h': 'Dossier de conformité (art. 5(2))',
		'dos.intro': 'Un document imprimable pour un contrôle : la déclaration et son analyse, chaque passage de la purge, chaque demande, le registre des consentements, les violations, les notifications aux destinataires (art. 19), les rotations de clé et la vérification du journal d\u2019audit ; chaque chiffre renvoie aux entrées du journal. Les retards sont signalés.',
		'dos.from': 'Du', 'dos.to': 'Au (inclus)', 'dos.get': 'Télécharger le dossier',
		'dos.bad': 'La période doit commencer avant de finir.',
	},
	en: {
		'dos.h': 'Accountability dossier (Art. 5(2))',
		'dos.intro': 'A printable document for an inspection: the declaration and its lint status, every sweep run, every request, the consent ledger, breaches, notices to recipients (Art. 19), key rotations and the audit log\u2019s verification; every figure names its audit entries. What was late is flagged.',
		'dos.from': 'From', 'dos.to': 'To (included)', 'dos.get': 'Download the dossier',
		'dos.bad': 'The period must start before it ends.',
	},
});

const day = d => d.toISOString().slice(0, 10);

export function renderDossier(root, ctx) {
	const now = new Date();
	const from = el('input', { type: 'date', id: 'dos-from', required: true,
		value: day(new Date(Date.UTC(now.getUTCFullYear(), 0, 1))) });
	const to = el('input', { type: 'date', id: 'dos-to', required: true, value: day(now) });
	const form = el('form', { id: 'dossier-form', onsubmit: async e => {
		e.preventDefault();
		if (!from.value || !to.value || to.value < from.value) {
			ctx.fail({ ok: false, status: 400, data: { error: { code: 'usage', message: t('dos.bad') } } });
			return;
		}
		const res = await ctx.download(`/v1/dossier?from=${encodeURIComponent(from.value)}`
			+ `&to=${encodeURIComponent(to.value)}`);
		res.ok ? ctx.done(res.filename) : ctx.fail(res);
	} },
	el('div', { class: 'row' },
		el('div', { class: 'field' }, el('label', { for: 'dos-from' }, t('dos.from')), from),
		el('div', { class: 'field' }, el('label', { for: 'dos-to' }, t('dos.to')), to),
		el('div', { class: 'field' }, el('button', { type: 'submit' }, t('dos.get')))));
	root.replaceChildren(el('h2', {}, t('dos.h')), el('p', { class: 'hint' }, t('dos.intro')), form);
}
