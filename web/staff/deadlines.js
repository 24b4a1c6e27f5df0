// The dashboard's next deadlines: the open requests' due days and, for the
// dpo, the 72-hour deadlines of the breaches the authority must still be
// told of (GET /v1/dashboard), nearest first, each a link to its page.
// The same dates are in the calendar feed (GET /v1/calendar.ics).

const SHOWN = 10;

/* when a deadline falls, as a number to sort on; a date the store should
   never hold (the server's marker 9999-99-99..., a damaged store) is no
   date: it comes first, to be looked into, and says so rather than a count */
const when = s => { const ms = new Date(s).getTime(); return isNaN(ms) ? -Infinity : ms; };

/** A table of the next deadlines of dashboard d; h: {t, fmtDate, fmtTime, el}. */
export function deadlinesTable(d, { t, fmtDate, fmtTime, el }) {
	const rows = d.requests.list.filter(r => r.status === 'open').map(r => ({
		at: r.due + 'T23:59:59', overdue: r.overdue, when: fmtDate(r.due),
		href: '/staff/requests/' + encodeURIComponent(r.reference || r.request),
		what: t('deadline.request', { ref: r.reference || r.request, kind: t('kind.' + r.kind) }),
		left: r.overdue ? t('days.over') : r.days_left == null ? '—' : t('days.left', { n: r.days_left }),
	}));
	for (const b of (d.breaches && d.breaches.deadlines) || []) {
		const due = when(b.authority_due), dated = due !== -Infinity;
		rows.push({
			at: b.authority_due, overdue: b.overdue, when: fmtTime(b.authority_due),
			href: '/staff/breaches/' + encodeURIComponent(b.breach),
			// named by when it became known (the deadline is 72 hours after), not by its id
			what: t('deadline.breach', { at: dated ? fmtTime(new Date(due - 72 * 3600e3).toISOString()) : b.authority_due }),
			left: b.overdue ? t('days.over') : !dated ? '—'
				: t('hours.left', { n: Math.max(0, Math.floor((due - Date.now()) / 3600e3)) }),
		});
	}
	if (!rows.length) return el('p', { text: t('none.deadlines') });
	rows.sort((a, b) => {
		const x = when(a.at), y = when(b.at);
		return x === y ? 0 : x < y ? -1 : 1;
	});
	return el('table', { class: 'deadlines' },
		el('thead', {}, el('tr', {}, ['col.due', 'col.what', 'col.time.left']
			.map(k => el('th', { scope: 'col', text: t(k) })))),
		el('tbody', {}, rows.slice(0, SHOWN).map(r => el('tr', {},
			el('td', { text: r.when }),
			el('td', {}, el('a', { href: r.href, class: 'id-link' }, r.what)),
			el('td', { class: r.overdue ? 'overdue' : '', text: r.left })))));
}
