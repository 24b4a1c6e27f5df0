// The declaration's findings (GET /v1/lint), where the dashboard's "errors in
// the declaration" card leads: what the linter found in the declaration the
// server runs, errors first (binding law: an activity with one collects
// nothing), then warnings (CNIL guidance or a judgement call), each with its
// rule's title, the activity it concerns by name, the legal reference and the
// line of the file to change. The rule's title is in the page's language
// (i18n.js LINT_RULES). The linter words its detailed message and fix in
// English (src/decl/): the English page shows them; the French page keeps
// them behind a closed disclosure labelled as the linter's English text,
// since they carry what the title cannot (which recipient, which value, which
// Art. 13 element) and rows of one rule would otherwise differ by line alone.
// renderLint(root, ctx): ctx = { call(path), fail(res), activityName(id), current() }.
import { addStrings, t, el, getLang, lintRuleTitle } from '/common.js';

addStrings({
	fr: {
		'lint.h': 'Contrôle de la déclaration',
		'lint.intro': 'Ce que le contrôle de la déclaration relève, au moment présent. Une erreur est une obligation légale non remplie : tant qu\u2019elle reste, le traitement concerné ne collecte rien. Un avertissement suit une recommandation de la CNIL ou appelle une décision. La correction se fait dans le fichier de déclaration, à la ligne indiquée, puis le serveur est relancé.',
		'lint.sum': '{e} erreur(s), {w} avertissement(s) dans {file}.',
		'lint.none': 'Rien à corriger : la déclaration ne présente ni erreur ni avertissement.',
		'lint.errors': 'Erreurs (à corriger : obligations légales)',
		'lint.warnings': 'Avertissements (recommandations de la CNIL)',
		'lint.infos': 'Remarques',
		'lint.col.what': 'Constat', 'lint.col.about': 'Concerne',
		'lint.col.law': 'Texte applicable', 'lint.col.line': 'Ligne',
		'lint.fix': 'Correction :',
		'lint.detail': 'Texte détaillé du contrôle, en anglais (message et correction du linter)',
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
		'lint.col.law': 'Law', 'lint.col.line': 'Line',
		'lint.fix': 'How to fix:',
		'lint.whole': 'the whole declaration',
	},
});

let last = null;

/* The linter's own words on a finding, in English: its message, then its fix. */
function detail(f) {
	return [el('p', { class: 'lint-msg', lang: 'en', text: f.message }),
		el('p', { class: 'lint-fix' }, el('span', { lang: 'en', text: 'How to fix: ' }),
			el('code', { lang: 'en', text: f.fix }))];
}

/* A finding's first cell: its rule's title in the page's language; in
   English the linter's message and fix under it, in French the same behind a
   closed disclosure that says they are the linter's English text. A rule the
   table does not know (a newer linter) shows the message as its title. */
function what(f) {
	const title = lintRuleTitle(f.rule);
	const head = title ? el('strong', { class: 'lint-title', text: title })
		: el('strong', { class: 'lint-title', lang: 'en', text: f.message });
	if (getLang() !== 'fr')
		return el('td', {}, head, ...(title ? [el('p', { class: 'lint-msg', text: f.message })] : []),
			el('p', { class: 'lint-fix' }, t('lint.fix') + ' ', el('code', { text: f.fix })));
	return el('td', {}, head, el('details', { class: 'lint-detail' },
		el('summary', { text: t('lint.detail') }), ...detail(f)));
}

function table(findings, ctx) {
	return el('table', { class: 'lint' },
		el('thead', {}, el('tr', {}, ['what', 'about', 'law', 'line']
			.map(k => el('th', { scope: 'col', text: t('lint.col.' + k) })))),
		el('tbody', {}, findings.map(f => el('tr', { 'data-rule': f.rule },
			what(f),
			el('td', { text: f.activity ? ctx.activityName(f.activity) : t('lint.whole') }),
			el('td', { text: f.reference }),
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
