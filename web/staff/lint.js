// The declaration's findings (GET /v1/lint), where the dashboard's "errors in
// the declaration" card leads: what the linter found in the declaration the
// server runs, errors first (binding law: an activity with one collects
// nothing), then warnings (CNIL guidance or a judgement call), each with the
// activity it concerns by name, the legal reference, the change that clears
// it and the line of the file to change. The linter words its findings in
// English (src/decl/); the page words everything around them.
// renderLint(root, ctx): ctx = { call(path), fail(res), activityName(id), current() }.
import { addStrings, t, el } from '/common.js';

addStrings({
	fr: {
		'lint.h': 'Contrôle de la déclaration',
		'lint.intro': 'Ce que le contrôle de la déclaration relève, au moment présent. Une erreur est une obligation légale non remplie : tant qu\u2019elle reste, le traitement concerné ne collecte rien. Un avertissement suit une recommandation de la CNIL ou appelle une décision. La correction se fait dans le fichier de déclaration, à la ligne indiquée, puis le serveur est relancé.',
		'lint.sum': '{e} erreur(s), {w} avertissement(s) dans {file}.',
		'lint.none': 'Rien à corriger : la déclaration ne présente ni erreur ni avertissement.',
		'lint.errors': 'Erreurs (à corriger : obligations légales)',
		'lint.warnings': 'Avertissements (recommandations de la CNIL)',
		'lint.infos': 'Remarques',
		'lint.col.what': 'Constat (texte du contrôle, en anglais)', 'lint.col.about': 'Concerne',
		'lint.col.law': 'Texte applicable', 'lint.col.fix': 'Comment corriger', 'lint.col.line': 'Ligne',
		'lint.whole': 'toute la déclaration',
	},
	en: {
		'lint.h': 'Declaration check',
		'lint.intro': 'What the check of the declaration finds, as of now. An error is a legal obligation not met: while it stands, the activity it concerns collects nothing. A warning follows CNIL guidance or calls for a decision. Fix it in the declaration file, at the line given, then restart the server.',
		'lint.sum': '{e} error(s), {w} warning(s) in {file}.',
		'lint.none': 'Nothing to fix: the declaration has no error and no warning.',
		'lint.errors': 'Errors (to fix: legal obligations)',
		'lint.warnings': 'Warnings (CNIL guidance)',
		'lint.infos': 'Notes',
		'lint.col.what': 'Finding', 'lint.col.about': 'Concerns',
		'lint.col.law': 'Law', 'lint.col.fix': 'How to fix', 'lint.col.line': 'Line',
		'lint.whole': 'the whole declaration',
	},
});

let last = null;

function table(findings, ctx) {
	return el('table', { class: 'lint' },
		el('thead', {}, el('tr', {}, ['what', 'about', 'law', 'fix', 'line']
			.map(k => el('th', { scope: 'col', text: t('lint.col.' + k) })))),
		el('tbody', {}, findings.map(f => el('tr', { 'data-rule': f.rule },
			el('td', { lang: 'en', text: f.message }),
			el('td', { text: f.activity ? ctx.activityName(f.activity) : t('lint.whole') }),
			el('td', { text: f.reference }),
			el('td', {}, el('code', { text: f.fix })),
			el('td', { text: f.line || '—' })))));
}

function render(root, ctx) {
	const d = last;
	if (!d) return;
	const file = (d.findings[0] && d.findings[0].file) || '';
	const parts = [el('p', { class: 'hint', text: t('lint.intro') })];
	if (!d.findings.length) parts.push(el('p', { text: t('lint.none') }));
	else parts.push(el('p', { id: 'lint-sum', text: t('lint.sum', { e: d.summary.errors, w: d.summary.warnings, file }) }));
	for (const [sev, head] of [['error', 'lint.errors'], ['warning', 'lint.warnings'], ['info', 'lint.infos']]) {
		const some = d.findings.filter(f => f.severity === sev);
		if (some.length) parts.push(el('h2', { id: 'lint-' + sev, text: t(head) + ' — ' + some.length }),
			table(some, ctx));
	}
	root.replaceChildren(...parts);
}

/** Load the findings and render them into root (again on a change of language: rerender). */
export async function renderLint(root, ctx) {
	const res = await ctx.call('/v1/lint');
	if (!ctx.current()) return;
	if (!res.ok) return ctx.fail(res);
	last = res.data;
	render(root, ctx);
}

export function rerenderLint(root, ctx) { render(root, ctx); }
