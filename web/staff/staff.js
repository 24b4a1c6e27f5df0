// The back office: sign in with a staff token, dashboard, people, requests,
// documents. One page; each "view" is a <section> shown alone, at a URL of
// its own (router.js; the table of views is at the end of this file).
import { addStrings, t, initLang, onLang, api, errorText, download, el, say, fmtDate,
	fieldLabel, KINDS, messageText, getLang } from '/common.js';
import { renderRequestList, renderRequestDesk } from '/staff/request.js';
import { renderPerson } from '/staff/person.js';
import { renderBreach, breachFlags, fmtTime } from '/staff/breach.js';
import { route, navigate, setQuery, startRouter, stopRouter } from '/staff/router.js';
import { deadlinesTable } from '/staff/deadlines.js';
import { initAuth, endSession } from '/staff/auth.js';
import { renderLint, rerenderLint } from '/staff/lint.js';
import { renderDossier } from '/staff/dossier.js';

addStrings({
	fr: {
		'nav.outbox': 'Envois', 'ob.h': 'Envois en attente ou en échec',
		'ob.intro': 'Les messages que le coffre doit envoyer : codes, réponses, notifications aux destinataires (art. 19), rappels. Un message en échec après ses essais peut être renvoyé.',
		'ob.none': 'Aucun message en attente ni en échec.', 'ob.filter': 'Afficher',
		'ob.unsent': 'En attente ou en échec', 'ob.failed': 'En échec', 'ob.pending': 'En attente', 'ob.all': 'Tous',
		'col.message': 'Message', 'col.to': 'Pour', 'col.attempts': 'Essais', 'col.error': 'Dernière erreur',
		'col.created': 'Créé le', 'col.when': 'Quand', 'col.recipient': 'Destinataire', 'col.channel.n': 'Canal',
		'to.person': 'la personne', 'to.recipient': 'destinataire : {id}', 'to.dpo': 'le DPO',
		'ob.status.queued': 'en attente', 'ob.status.sending': 'en cours', 'ob.status.sent': 'envoyé',
		'ob.status.failed': 'en échec', 'ob.retry': 'Renvoyer', 'ob.retried': 'Message {id} remis en file d\u2019envoi.',
		'ob.next': 'prochain essai {at}', 'ob.sent.at': 'envoyé le {at}', 'ob.tries': '{n} essai(s)',
		'req.notices': 'Destinataires informés (art. 19)',
		'req.notices.none': 'Aucune notification à des destinataires pour cette demande.',
		'channel.webhook': 'webhook', 'channel.email': 'e-mail', 'channel.none': 'aucun',
		title: 'pdvault — espace équipe', brand: 'pdvault — espace équipe', skip: 'Aller au contenu',
		nav: 'Sections', 'nav.dashboard': 'Tableau de bord', 'nav.subjects': 'Personnes',
		'nav.requests': 'Demandes', 'nav.documents': 'Documents', logout: 'Se déconnecter',
		who: '{name} ({role})', 'role.dpo': 'DPO',
		'login.h': 'Connexion', 'login.token': 'Jeton d\u2019accès',
		'login.hint': 'Collez le jeton fourni par « pdvault token create ». Il n\u2019est gardé que dans cet onglet.',
		'login.submit': 'Se connecter', 'login.bad': 'Ce jeton n\u2019est pas valide ou a expiré.',
		'login.ok': 'Connecté·e.', 'logout.ok': 'Déconnecté·e.',
		'dash.h': 'Tableau de bord', 'dash.requests': 'Demandes à traiter',
		'dash.ending': 'Fiches arrivant à échéance dans les 30 jours', 'dash.phases': 'Fiches par phase',
		'card.open': 'Demandes ouvertes', 'card.overdue': 'Demandes en retard',
		'card.ending': 'Fiches à échéance sous 30 jours', 'card.lint': 'Erreurs dans la déclaration ({w} avertissement(s))',
		'none.requests': 'Aucune demande ouverte.', 'none.ending': 'Aucune fiche n\u2019arrive à échéance.',
		'none.phases': 'Aucune fiche.',
		'col.request': 'Demande', 'col.reference': 'Référence', 'col.kind': 'Type', 'col.status': 'État', 'col.received': 'Reçue le',
		'col.due': 'Échéance', 'col.left': 'Jours restants', 'col.subject': 'Personne',
		'col.actions': 'Actions', 'col.activity': 'Traitement', 'col.count': 'Fiches', 'col.phase': 'Phase',
		'days.left': '{n} j', 'req.back': 'Retour aux demandes', 'br.to.do': 'à faire (page de la violation)', 'days.over': 'en retard', 'handle': 'Traiter', 'view': 'Voir',
		'unknown.subject': 'inconnue (adresse que le coffre ne connaît pas)',
		'req.person.open': 'voir la page de la personne', 'req.person.erased': 'effacée (demande traitée)', 'req.channel.web': 'centre de confidentialité (en ligne)',
		'req.channel.api': 'saisie par l\u2019équipe (espace équipe ou API)', 'req.channel.cli': 'saisie par l\u2019équipe (ligne de commande)',
		'status.open': 'ouverte', 'status.done': 'traitée', 'status.refused': 'refusée',
		'subj.h': 'Personnes', 'subj.email': 'Adresse e-mail', 'subj.search': 'Rechercher',
		'subj.by': 'Rechercher par', 'subj.by.email': 'adresse e-mail', 'subj.by.phone': 'numéro de téléphone',
		'subj.by.reference': 'référence de demande', 'subj.phone': 'Numéro de téléphone',
		'subj.reference': 'Référence de la demande',
		'subj.none': 'Aucune personne trouvée pour cette adresse (ou pas visible pour votre rôle).',
		'subj.none.phone': 'Aucune personne trouvée pour ce numéro (ou pas visible pour votre rôle).',
		'subj.none.reference': 'Aucune demande visible pour votre rôle ne porte cette référence.',
		'subj.request.nobody': 'La demande {ref} ne concerne personne que le registre connaît : voir la demande.',
		'subj.found': '{n} personne(s) trouvée(s).', 'subj.one': 'Personne {id}',
		'phase.active': 'active', 'phase.archived': 'archivée', 'phase.ended': 'terminée',
		'phase.restricted': 'limitée', 'phase.intermediate': 'archive intermédiaire',
		'phase.renewal-pending': 'renouvellement demandé',
		'req.h': 'Demandes', 'req.open': 'Enregistrer une demande reçue par courrier, téléphone…',
		'req.kind': 'Type de demande', 'req.email': 'Adresse e-mail de la personne',
		'req.received': 'Reçue le (facultatif)', 'req.open.submit': 'Ouvrir la demande',
		'req.opened': 'Demande {id} ouverte, échéance le {due}.',
		'req.panel': 'Demande {id}', 'req.extend.reason': 'Motif de la prolongation (art. 12(3))',
		'req.extend': 'Prolonger le délai', 'req.extended': 'Délai prolongé : nouvelle échéance le {due}.',
		'req.close.how': 'Réponse', 'req.close.done': 'Traitée : la demande a reçu une réponse',
		'req.close.refuse': 'Refusée (le motif est obligatoire et communiqué à la personne)',
		'req.close.reason': 'Motif ou note', 'req.close': 'Clore la demande',
		'req.closed': 'Demande close ({status}).', 'req.refuse.reason': 'Un refus doit être motivé.',
		'req.export.h': 'Fichier de réponse', 'req.export.format': 'Format',
		'req.export': 'Télécharger l\u2019export', 'req.see.subject': 'Voir les fiches de cette personne',
		'downloaded': 'Fichier téléchargé : {name}.',
		'doc.h': 'Documents', 'doc.register': 'Registre des activités de traitement (art. 30)',
		'doc.format': 'Format', 'doc.register.get': 'Télécharger le registre',
		'doc.notice': 'Notice d\u2019information (publique)', 'doc.center': 'Centre de confidentialité pour le public',
		'err.forbidden': 'Votre rôle ne permet pas cette action (rôle dpo requis).',
		'err.forbidden.record': 'Votre rôle ne permet pas de rectifier cette fiche : elle est archivée, ou le traitement de la personne est limité ; seul le DPO peut la modifier.',
		'err.unauthorized': 'Session expirée : reconnectez-vous.',
		'err.not_found': 'Introuvable, ou hors de ce que votre rôle peut voir.',
		'err.invalid.reason': 'Un motif est requis.',
		'err.invalid.received': 'La date de réception n\u2019est pas valide, ou elle est dans le futur.',
		'err.invalid.aware_at': 'La date de prise de connaissance n\u2019est pas valide, ou elle est dans le futur.',
		'nav.breaches': 'Violations', 'br.h': 'Violations de données',
		'br.intro': 'Toute violation de données personnelles est inscrite dans ce registre (art. 33(5)). L\u2019autorité doit être notifiée dans les 72 heures suivant la prise de connaissance, week-ends compris, sauf si la violation n\u2019est pas susceptible d\u2019engendrer un risque.',
		'br.open': 'Enregistrer une violation', 'br.aware': 'Connue depuis (heure locale)',
		'br.summary': 'Ce qui s\u2019est passé, quelles données, combien de personnes environ, ce qui a été fait',
		'br.submit': 'Enregistrer la violation',
		'br.opened': 'Violation {id} enregistrée : notifier l\u2019autorité avant le {due}.',
		'br.none': 'Aucune violation enregistrée.', 'col.breach': 'Violation', 'col.aware': 'Connue le',
		'col.authority': 'Autorité', 'col.people': 'Personnes', 'col.summary': 'Résumé',
		'br.told': 'notifiée le {at}', 
		'hours.left': '{n} h restantes', 'br.risk': 'Risque pour les personnes (peut être évalué plus tard)',
		'br.risk.reason': 'Motifs de cette évaluation (requis avec un risque)', 
		'col.risk': 'Risque',
		'risk.unassessed': 'non évalué', 'risk.unlikely': 'improbable (rien à notifier)',
		'risk.risk': 'risque (autorité)', 'risk.high': 'élevé (autorité et personnes)',
		'page.unknown': 'Cette page n\u2019existe pas : voici le tableau de bord.',
		'page.dpo': 'Cette page est réservée au DPO : voici le tableau de bord.',
		'req.confirm': 'Confirmer', 'req.cancel': 'Annuler',
		'req.confirm.done': 'Clore la demande « {kind} » comme traitée ? Ce qui est dû à la personne lui est envoyé ; la clôture ne peut pas être annulée.',
		'req.confirm.refuse': 'Refuser la demande « {kind} » ? Le motif est communiqué à la personne ; le refus ne peut pas être annulé.',
		'dash.deadlines': 'Prochaines échéances', 'none.deadlines': 'Aucune échéance à venir.',
		'col.what': 'Quoi', 'deadline.request': 'Demande {ref} ({kind})',
		'deadline.breach': 'Violation connue depuis le {at} : notifier l\u2019autorité (72 h)',
		'risk.choose': '— non évalué —', 'br.not.required': 'non requise', 'req.was.extended': '(prolongée)', 'col.channel': 'Reçue par', 'col.time.left': 'Temps restant', 'card.breaches': 'Violations non notifiées à l\u2019autorité',
	},
	en: {
		'nav.outbox': 'Outbox', 'ob.h': 'Messages waiting or failed',
		'ob.intro': 'The messages the vault must send: codes, answers, notices to recipients (Art. 19), reminders. A message that failed after its tries can be sent again.',
		'ob.none': 'No message waiting or failed.', 'ob.filter': 'Show',
		'ob.unsent': 'Waiting or failed', 'ob.failed': 'Failed', 'ob.pending': 'Waiting', 'ob.all': 'All',
		'col.message': 'Message', 'col.to': 'To', 'col.attempts': 'Tries', 'col.error': 'Last error',
		'col.created': 'Queued on', 'col.when': 'When', 'col.recipient': 'Recipient', 'col.channel.n': 'Channel',
		'to.person': 'the person', 'to.recipient': 'recipient: {id}', 'to.dpo': 'the DPO',
		'ob.status.queued': 'waiting', 'ob.status.sending': 'sending', 'ob.status.sent': 'sent',
		'ob.status.failed': 'failed', 'ob.retry': 'Retry', 'ob.retried': 'Message {id} queued again.',
		'ob.next': 'next try {at}', 'ob.sent.at': 'sent on {at}', 'ob.tries': '{n} tries',
		'req.notices': 'Recipients told (Art. 19)',
		'req.notices.none': 'No notice to recipients for this request.',
		'channel.webhook': 'webhook', 'channel.email': 'email', 'channel.none': 'none',
		title: 'pdvault — back office', brand: 'pdvault — back office', skip: 'Skip to content',
		nav: 'Sections', 'nav.dashboard': 'Dashboard', 'nav.subjects': 'People',
		'nav.requests': 'Requests', 'nav.documents': 'Documents', logout: 'Sign out',
		who: '{name} ({role})', 'role.dpo': 'DPO',
		'login.h': 'Sign in', 'login.token': 'Access token',
		'login.hint': 'Paste the token given by “pdvault token create”. It is kept in this tab only.',
		'login.submit': 'Sign in', 'login.bad': 'This token is not valid or has expired.',
		'login.ok': 'Signed in.', 'logout.ok': 'Signed out.',
		'dash.h': 'Dashboard', 'dash.requests': 'Requests to answer',
		'dash.ending': 'Records ending in the next 30 days', 'dash.phases': 'Records by phase',
		'card.open': 'Open requests', 'card.overdue': 'Overdue requests',
		'card.ending': 'Records ending within 30 days', 'card.lint': 'Errors in the declaration ({w} warning(s))',
		'none.requests': 'No open request.', 'none.ending': 'No record ends soon.',
		'none.phases': 'No record.',
		'col.request': 'Request', 'col.reference': 'Reference', 'col.kind': 'Kind', 'col.status': 'Status', 'col.received': 'Received',
		'col.due': 'Due', 'col.left': 'Days left', 'col.subject': 'Person',
		'col.actions': 'Actions', 'col.activity': 'Activity', 'col.count': 'Records', 'col.phase': 'Phase',
		'days.left': '{n} d', 'req.back': 'Back to the requests', 'br.to.do': 'to do (on the breach\u2019s page)', 'days.over': 'overdue', 'handle': 'Handle', 'view': 'View',
		'unknown.subject': 'unknown (an address the vault does not hold)',
		'req.person.open': 'see the person\u2019s page', 'req.person.erased': 'erased (request answered)', 'req.channel.web': 'privacy center (online)',
		'req.channel.api': 'entered by staff (back office or API)', 'req.channel.cli': 'entered by staff (command line)',
		'status.open': 'open', 'status.done': 'done', 'status.refused': 'refused',
		'subj.h': 'People', 'subj.email': 'Email address', 'subj.search': 'Search',
		'subj.by': 'Search by', 'subj.by.email': 'email address', 'subj.by.phone': 'phone number',
		'subj.by.reference': 'request reference', 'subj.phone': 'Phone number',
		'subj.reference': 'Request reference',
		'subj.none': 'No one found for this address (or not visible to your role).',
		'subj.none.phone': 'No one found for this number (or not visible to your role).',
		'subj.none.reference': 'No request your role sees has this reference.',
		'subj.request.nobody': 'Request {ref} is about no one the vault knows: see the request.',
		'subj.found': '{n} person(s) found.', 'subj.one': 'Person {id}',
		'phase.active': 'active', 'phase.archived': 'archived', 'phase.ended': 'ended',
		'phase.restricted': 'restricted', 'phase.intermediate': 'intermediate archive',
		'phase.renewal-pending': 'renewal asked',
		'req.h': 'Requests', 'req.open': 'Record a request received by mail, phone…',
		'req.kind': 'Kind of request', 'req.email': 'Email address of the person',
		'req.received': 'Received on (optional)', 'req.open.submit': 'Open the request',
		'req.opened': 'Request {id} opened, due on {due}.',
		'req.panel': 'Request {id}', 'req.extend.reason': 'Reason for the extension (Art. 12(3))',
		'req.extend': 'Extend the deadline', 'req.extended': 'Deadline extended: now due on {due}.',
		'req.close.how': 'Answer', 'req.close.done': 'Done: the request was answered',
		'req.close.refuse': 'Refused (the reason is required and sent to the person)',
		'req.close.reason': 'Reason or note', 'req.close': 'Close the request',
		'req.closed': 'Request closed ({status}).', 'req.refuse.reason': 'A refusal needs a reason.',
		'req.export.h': 'Answer file', 'req.export.format': 'Format',
		'req.export': 'Download the export', 'req.see.subject': 'See this person\u2019s records',
		'downloaded': 'File downloaded: {name}.',
		'doc.h': 'Documents', 'doc.register': 'Record of processing activities (Art. 30)',
		'doc.format': 'Format', 'doc.register.get': 'Download the register',
		'doc.notice': 'Privacy notice (public)', 'doc.center': 'Privacy center for the public',
		'err.forbidden': 'Your role cannot do this (it needs the role dpo).',
		'err.forbidden.record': 'Your role may not rectify this record: it is archived, or the person\u2019s processing is restricted; only the DPO may change it.',
		'err.unauthorized': 'Session expired: sign in again.',
		'err.not_found': 'Not found, or outside what your role may see.',
		'err.invalid.reason': 'A reason is required.',
		'err.invalid.received': 'The date received is not valid, or it is in the future.',
		'err.invalid.aware_at': 'The time of awareness is not valid, or it is in the future.',
		'nav.breaches': 'Breaches', 'br.h': 'Breaches',
		'br.intro': 'Every personal-data breach goes in this register (Art. 33(5)). The authority must be told within 72 hours of awareness, weekends included, unless the breach is unlikely to result in a risk.',
		'br.open': 'Record a breach', 'br.aware': 'Aware since (your local time)',
		'br.summary': 'What happened, which data, about how many people, what was done',
		'br.submit': 'Record the breach',
		'br.opened': 'Breach {id} recorded: tell the authority by {due}.',
		'br.none': 'No breach recorded.', 'col.breach': 'Breach', 'col.aware': 'Aware since',
		'col.authority': 'Authority', 'col.people': 'People', 'col.summary': 'Summary',
		'br.told': 'told on {at}', 
		'hours.left': '{n} h left', 'br.risk': 'Risk to the people (can be assessed later)',
		'br.risk.reason': 'Why this assessment (required with a risk)', 
		'col.risk': 'Risk',
		'risk.unassessed': 'not assessed', 'risk.unlikely': 'unlikely (nothing to notify)',
		'risk.risk': 'risk (the authority)', 'risk.high': 'high (the authority and the people)',
		'page.unknown': 'This page does not exist: here is the dashboard.',
		'page.dpo': 'This page is the DPO\u2019s: here is the dashboard.',
		'req.confirm': 'Confirm', 'req.cancel': 'Cancel',
		'req.confirm.done': 'Close the "{kind}" request as answered? What is due to the person is sent to them; a close cannot be undone.',
		'req.confirm.refuse': 'Refuse the "{kind}" request? The reason is given to the person; a refusal cannot be undone.',
		'dash.deadlines': 'Next deadlines', 'none.deadlines': 'No deadline ahead.',
		'col.what': 'What', 'deadline.request': 'Request {ref} ({kind})',
		'deadline.breach': 'Breach known since {at}: tell the authority (72 h)',
		'risk.choose': '— not assessed —', 'br.not.required': 'not required', 'req.was.extended': '(extended)', 'col.channel': 'Received through', 'col.time.left': 'Time left', 'card.breaches': 'Breaches not reported to the authority',
	},
});

const $ = id => document.getElementById(id);
const status = $('status');
const state = { token: sessionStorage.getItem('pdv-token'), csrf: sessionStorage.getItem('pdv-csrf'),
	me: null, view: 'login',
	dash: null, subjects: null, subject: null, request: null, breaches: null,
	breach: null, outbox: null };

/* every staff call carries the token; a 401 sends back to the sign-in */
async function call(path, opts = {}) {
	const res = await api(path, { ...opts, token: state.token, csrf: state.csrf });
	if (res.status === 401) signOut(t('err.unauthorized'), 'err');
	return res;
}

function fail(res) { say(status, errorText(res), 'err'); }

/* the URL of each view's list (others' code calls show(view): it goes there) */
function show(view, focus = true) {
	if (view === 'login') return showSection('login', focus);
	navigate(view === 'dashboard' ? '/staff/' : '/staff/' + view, { focus });
}

/* show one view's section (the router calls it; nothing is loaded here) */
function showSection(view, focus = true) {
	state.view = view;
	for (const s of document.querySelectorAll('main > section')) s.hidden = s.id !== 'view-' + view;
	// a request's or a breach's page belongs to its list's section
	const section = { request: 'requests', breach: 'breaches' }[view] || view;
	document.querySelectorAll('#nav [data-view]').forEach(b => {
		if (b.dataset.view === section) b.setAttribute('aria-current', 'page');
		else b.removeAttribute('aria-current');
	});
	// a page rendered once its data comes (a breach's) has no heading yet: its
	// renderer sets the title then
	const h1 = $('view-' + view).querySelector('h1');
	document.title = (view === 'login' || !h1 ? '' : h1.textContent + ' — ') + t('title');
	// move focus to the view's heading so keyboard and screen reader users follow
	if (focus) h1?.focus();
}

/* ---- sign in / out ---- */

/* token: a machine's API token; null: the session cookie of an account
   signed in by auth.js (its CSRF token in state.csrf) */
async function signIn(token) {
	const res = await api('/v1/me', { token });
	if (!res.ok) {
		say(status, res.status === 401 ? t('login.bad') : errorText(res), 'err');
		return false;
	}
	state.token = token;
	state.me = res.data;
	if (token) sessionStorage.setItem('pdv-token', token);
	$('nav').hidden = false;
	$('logout').hidden = false;
	$('logout-all').hidden = !state.csrf || state.me.via === 'proxy';
	// behind a sign-on proxy, signing out is the proxy's
	if (state.me.via === 'proxy') $('logout').hidden = true;
	renderWho();
	// actions that need the role dpo are hidden from other roles (the server checks anyway)
	document.querySelectorAll('.dpo-only').forEach(n => { n.hidden = state.me.role !== 'dpo'; });
	return true;
}

/* end: 'one' or 'all' when the person signs out (the server ends the
   session, or every session of the account); null when the server did.
   The URL stays: signing in again shows the view it names */
function signOut(msg = t('logout.ok'), kind = 'info', end = null) {
	stopRouter();
	if (state.csrf && end) endSession(state.csrf, end === 'all');
	sessionStorage.removeItem('pdv-token');
	sessionStorage.removeItem('pdv-csrf');
	Object.assign(state, { token: null, csrf: null, me: null, dash: null, subjects: null,
		subject: null, request: null, breaches: null, outbox: null });
	$('nav').hidden = true;
	$('logout').hidden = true;
	$('logout-all').hidden = true;
	$('who').textContent = '';
	$('search-results').replaceChildren();
	$('person-view').replaceChildren();
	show('login');
	say(status, msg, kind);
}

function renderWho() {
	$('who').textContent = state.me ? t('who', { name: state.me.name, role: roleName(state.me.role) }) : '';
}

/* a role by its declared name (roles[].name) in the page's language; the
   dpo, which no declaration names, in the page's words */
function roleName(id) {
	const names = state.me && state.me.roles && state.me.roles[id];
	if (names) return names[getLang()] || names.en || names.fr || id;
	return id === 'dpo' ? t('role.dpo') : id;
}

/* the declared roles' ids, in the declaration's order (the tokens page offers them) */
function roleIds() {
	return Object.keys((state.me && state.me.roles) || {});
}

/* ---- dashboard ---- */

async function loadDashboard() {
	const res = await call('/v1/dashboard');
	if (!res.ok) return fail(res);
	state.dash = res.data;
	await loadActivityNames();
	renderDashboard();
}

/* the activities' names in the page's language, for the tables the server
   keys by activity id (state.names[lang]: id -> name) */
async function loadActivityNames() {
	const lang = getLang();
	state.names = state.names || {};
	if (state.names[lang]) return;
	const res = await api(`/v1/activities?lang=${lang}`);
	if (res.ok) state.names[lang] = Object.fromEntries(res.data.activities.map(a => [a.id, a.name || a.id]));
}

function activityName(id) { return (state.names && state.names[getLang()] || {})[id] || id; }

/* a card leads to what it counts when href is given */
function card(label, n, bad, href) {
	const body = [el('span', { class: 'n', text: n }), el('span', { class: 'label', text: label })];
	return el('div', { class: 'card' + (bad ? ' bad' : '') }, href ? el('a', { href }, body) : body);
}

function renderDashboard() {
	const d = state.dash;
	if (!d) return;
	$('dash-cards').replaceChildren(
		card(t('card.open'), d.requests.open, false, '/staff/requests'),
		card(t('card.overdue'), d.requests.overdue, d.requests.overdue > 0, '/staff/requests?status=overdue'),
		card(t('card.ending'), d.records.ending_30_days, false, '#dash-ending-h'),
		card(t('card.lint', { w: d.lint.warnings }), d.lint.errors, d.lint.errors > 0, '/staff/declaration'),
		// the dpo's alone: the server gives other roles no breach figures
		...(d.breaches ? [card(t('card.breaches'), d.breaches.unreported, d.breaches.unreported > 0,
			'/staff/breaches'),
			card(t('card.to.tell'), d.breaches.people_to_tell, d.breaches.people_to_tell > 0, '/staff/breaches')] : []));
	$('dash-deadlines').replaceChildren(deadlinesTable(d, { t, fmtDate, fmtTime, el }));
	$('dash-requests').replaceChildren(d.requests.list.length
		? requestTable(d.requests.list) : el('p', { text: t('none.requests') }));
	const ending = Object.entries(d.records.ending_by_activity);
	$('dash-ending').replaceChildren(ending.length
		? countTable(ending.map(([a, n]) => [activityName(a), n]), t('col.activity'))
		: el('p', { text: t('none.ending') }));
	const phases = Object.entries(d.records.by_phase);
	$('dash-phases').replaceChildren(phases.length
		? countTable(phases.map(([p, n]) => [phaseName(p), n]), t('col.phase'))
		: el('p', { text: t('none.phases') }));
}

function countTable(rows, head) {
	return el('table', {},
		el('thead', {}, el('tr', {}, el('th', { scope: 'col', text: head }),
			el('th', { scope: 'col', text: t('col.count') }))),
		el('tbody', {}, rows.map(([k, n]) =>
			el('tr', {}, el('td', { text: k }), el('td', { text: n })))));
}

function phaseName(p) { const k = 'phase.' + p; return t(k) === k ? p : t(k); }

function daysLeft(r) {
	if (r.status !== 'open') return '';
	if (r.overdue) return t('days.over');
	return r.days_left == null ? '—' : t('days.left', { n: r.days_left }); /* null: no date */
}

/* a table of requests, each with a link to its page */
function requestTable(list) {
	return el('table', {},
		el('thead', {}, el('tr', {}, ['col.reference', 'col.kind', 'col.status',
			'col.received', 'col.due', 'col.left', 'col.actions']
			.map(k => el('th', { scope: 'col', text: t(k) })))),
		// the reference names a request for people; the id stays out of sight
		el('tbody', {}, list.map(r => el('tr', { 'data-request': r.request },
			el('td', { class: 'reference', text: r.reference || '—' }),
			el('td', { text: t('kind.' + r.kind) }),
			el('td', { text: t('status.' + r.status) }),
			el('td', { text: fmtDate(r.received) }),
			el('td', { text: fmtDate(r.due) }),
			el('td', { class: r.overdue ? 'overdue' : '', text: daysLeft(r) }),
			el('td', {}, el('a', { href: requestUrl(r.request), class: 'button secondary',
				'aria-label': t('handle') + ' ' + (r.reference || t('kind.' + r.kind)) }, t('handle')))))));
}

/* ---- people ---- */

/* the search field as the kind searched by wants it: its label, its type */
const SEARCH_INPUT = { email: ['subj.email', 'email'], phone: ['subj.phone', 'tel'], reference: ['subj.reference', 'text'] };
function searchKind() {
	const [label, type] = SEARCH_INPUT[$('search-by').value] || SEARCH_INPUT.email;
	const input = $('search-email'), lab = document.querySelector('label[for="search-email"]');
	lab.dataset.i18n = label;
	lab.textContent = t(label);
	input.type = type;
	input.autocomplete = 'off';
}

async function search(kind, value) {
	// POST keeps the address, the number and the reference out of URLs and server logs
	const res = await call('/v1/subjects/search', { method: 'POST', body: { [kind]: value } });
	if (!res.ok) return fail(res);
	state.subjects = res.data.subjects;
	$('person-view').replaceChildren();
	renderSearch();
	if (!state.subjects.length && res.data.request) { // a request about an address the vault does not hold
		$('search-results').replaceChildren(el('p', {}, el('a', { href: requestUrl(res.data.request) },
			t('subj.request.nobody', { ref: value.toUpperCase() }))));
		return say(status, t('subj.request.nobody', { ref: value.toUpperCase() }), 'info');
	}
	say(status, state.subjects.length ? t('subj.found', { n: state.subjects.length })
		: t(kind === 'email' ? 'subj.none' : 'subj.none.' + kind), state.subjects.length ? 'ok' : 'info');
	if (state.subjects.length === 1)
		navigate('/staff/subjects/' + encodeURIComponent(state.subjects[0]), { focus: false });
}

function renderSearch() {
	if (!state.subjects) return;
	$('search-results').replaceChildren(el('ul', {}, state.subjects.map(id =>
		el('li', {}, el('a', { href: '/staff/subjects/' + encodeURIComponent(id) },
			t('subj.one', { id }))))));
}

/* a person's page (person.js), /staff/subjects/ID */
async function viewSubject(id, focus) {
	state.subject = id;
	await renderPerson($('person-view'), id, { call, fail, status, token: state.token,
		role: state.me && state.me.role, openRequest: rid => openRequest(rid) });
	if (focus && state.view === 'subjects' && state.subject === id) $('person-h')?.focus();
}

/* ---- requests ---- */

/* the list (request.js) with the filters the URL's query names
   (/staff/requests?status=overdue&kind=erasure&due_within=7&sort=received) */
const REQ_FILTERS = { status: 'open', kind: '', due_within: '', sort: 'due' };

function requestQuery() {
	const q = new URLSearchParams(location.search), f = {};
	for (const [k, dflt] of Object.entries(REQ_FILTERS)) f[k] = q.get(k) || dflt;
	return f;
}

async function loadRequests() {
	const f = requestQuery();
	state.listQuery = location.search;
	await renderRequestList($('req-list'), { call, fail, href: requestUrl,
		filter: g => {
			const q = new URLSearchParams();
			for (const [k, dflt] of Object.entries(REQ_FILTERS)) if (g[k] && g[k] !== dflt) q.set(k, g[k]);
			const s = q.toString();
			// a filter changed in place: the URL kept current, no history entry
			state.filtering = true;
			navigate('/staff/requests' + (s ? '?' + s : ''), { replace: true, focus: false });
		},
		// the list of another view's visit may come back late: shown only here
		current: () => state.view === 'requests' },
	{ status: f.status, kind: f.kind, within: f.due_within, sort: f.sort });
}

const requestUrl = id => '/staff/requests/' + encodeURIComponent(id);

/* a request's page is a URL of its own: /staff/requests/REF (or ID) */
function openRequest(id) {
	navigate(requestUrl(id));
}

async function loadRequest(id, focus = true) {
	const res = await call('/v1/requests/' + encodeURIComponent(id) + '?lang=' + document.documentElement.lang);
	await loadActivityNames();
	if (state.view !== 'request') return; // gone elsewhere meanwhile
	if (!res.ok) return fail(res);
	state.request = res.data;
	renderRequest();
	document.title = $('req-panel-h').textContent + ' — ' + t('title');
	if (focus) $('req-panel-h').focus();
}

/* how a request came in: the privacy center, the back office (or API), the
   command line, or what the DPO wrote when recording it (a letter...) */
function channelName(c) { const k = 'req.channel.' + c; return t(k) === k ? c : t(k); }

function renderRequest() {
	const r = state.request;
	if (!r) return;
	// named by its reference, as the person and the DPO quote it; the id is the URL's
	$('req-panel-h').textContent = t('req.panel', { id: r.reference || t('kind.' + r.kind) });
	$('req-panel-h').dataset.request = r.request;
	// back to the list as it was left (its filters)
	$('req-back').href = '/staff/requests' + (state.listQuery || '');
	const row = (k, v, cls) => [el('dt', { text: t(k) }), el('dd', { class: cls, text: v })];
	// after an erasure answered, the person's page is gone, unless records
	// were kept (a hold, a legal obligation): then it stays, with them
	const erased = r.kind === 'erasure' && r.status === 'done' && !r.subject;
	$('req-info').replaceChildren(
		...row('col.kind', t('kind.' + r.kind)),
		...row('col.status', t('status.' + r.status)),
		...row('col.received', fmtDate(r.received)),
		...row('col.due', fmtDate(r.due) + (r.extended ? ' ' + t('req.was.extended') : '')),
		...(r.status === 'open' ? row('col.left', daysLeft(r), r.overdue ? 'overdue' : '') : []),
		...(r.channel ? row('col.channel', channelName(r.channel)) : []),
		// the person: a link to their page, not an id to copy
		el('dt', { text: t('col.subject') }), el('dd', {}, erased ? t('req.person.erased')
			: r.subject ? el('a', { href: '/staff/subjects/' + encodeURIComponent(r.subject), id: 'req-person' }, t('req.person.open'))
				: t('unknown.subject')),
		...row('col.reference', r.reference || '', 'reference'));
	const dpo = state.me && state.me.role === 'dpo';
	$('req-actions').hidden = !dpo || r.status !== 'open';
	// the server gives an export for a finished access or portability request
	$('req-export').hidden = !dpo || r.status !== 'done' || !r.subject ||
		!['access', 'portability'].includes(r.kind);
	$('req-subject').hidden = !r.subject || erased;
	renderNotices();
	renderRequestDesk($('req-desk'), r, { call, download: p => download(p, state.token), fail, status, dpo, activityName,
		changed: () => loadRequest(r.request, false) });
}

/* ask in the page before an act that cannot be undone: the question, then
   Confirm or Cancel, after `where` */
function confirmAfter(where, question, action) {
	$('req-confirm')?.remove();
	const box = el('div', { class: 'confirm panel', id: 'req-confirm', role: 'alertdialog', 'aria-labelledby': 'req-confirm-q' },
		el('p', { id: 'req-confirm-q', text: question }),
		el('button', { type: 'button', onclick: async () => { box.remove(); await action(); } }, t('req.confirm')),
		' ',
		el('button', { type: 'button', class: 'secondary', onclick: () => box.remove() }, t('req.cancel')));
	where.after(box);
	box.querySelector('button').focus();
}

/* ---- the outbox and a request's Art. 19 notices (dpo) ---- */

function obStatus(m) {
	const s = t('ob.status.' + m.status);
	if (m.status === 'sent' && m.sent_at) return t('ob.sent.at', { at: fmtTime(m.sent_at) });
	if (m.status === 'queued' && m.next_at && m.attempts) return s + ' — ' + t('ob.next', { at: fmtTime(m.next_at) });
	return s;
}

async function retry(id, after) {
	const res = await call(`/v1/outbox/${id}/retry`, { method: 'POST' });
	if (!res.ok) return fail(res);
	say(status, t('ob.retried', { id }), 'ok');
	after();
}

function retryCell(m, after) {
	const dpo = state.me && state.me.role === 'dpo';
	return el('td', {}, m.status === 'failed' && dpo ? el('button', { type: 'button', class: 'secondary',
		'aria-label': t('ob.retry') + ' — ' + (m.name || messageText(m.kind)) + ' ' + m.id,
		onclick: () => retry(m.id, after) }, t('ob.retry')) : '');
}

/* while a notice waits, its page looks again every second */
let noticesTimer = null;
function renderNotices() {
	const r = state.request, box = $('req-notices');
	clearTimeout(noticesTimer);
	if (!r || !r.notices) { box.replaceChildren(); return; }
	box.replaceChildren(el('h3', { text: t('req.notices') }), r.notices.length ? el('table', { id: 'notices' },
		el('thead', {}, el('tr', {}, ['col.recipient', 'col.channel.n', 'col.status', 'col.attempts',
			'col.error', 'col.actions'].map(k => el('th', { scope: 'col', text: t(k) })))),
		el('tbody', {}, r.notices.map(n => el('tr', { 'data-recipient': n.recipient, 'data-status': n.status },
			el('td', { text: n.name }),
			el('td', { text: t('channel.' + n.channel) }),
			el('td', { class: n.status === 'failed' ? 'overdue' : '', text: obStatus(n) }),
			el('td', { text: String(n.attempts) }),
			el('td', { text: n.last_error || '' }),
			retryCell(n, () => loadRequest(r.request, false)))))) : el('p', { text: t('req.notices.none') }));
	if (r.notices.some(n => n.status === 'queued' || n.status === 'sending'))
		noticesTimer = setTimeout(() => {
			if (state.request === r && state.view === 'request') loadRequest(r.request, false);
		}, 1000);
}

async function loadOutbox() {
	const res = await call('/v1/outbox?status=' + $('ob-filter').value);
	if (!res.ok) return fail(res);
	state.outbox = res.data.messages;
	renderOutbox();
}

function renderOutbox() {
	if (!state.outbox) return;
	$('ob-list').replaceChildren(state.outbox.length ? el('table', {},
		el('thead', {}, el('tr', {}, ['col.message', 'col.kind', 'col.to', 'col.status', 'col.attempts',
			'col.error', 'col.created', 'col.actions'].map(k => el('th', { scope: 'col', text: t(k) })))),
		el('tbody', {}, [...state.outbox].reverse().map(m => el('tr', { 'data-status': m.status },
			el('td', { class: 'id', text: String(m.id) }),
			el('td', { text: messageText(m.kind) }),
			el('td', { text: t('to.' + m.recipient_kind, { id: m.recipient || '' }) }),
			el('td', { class: m.status === 'failed' ? 'overdue' : '', text: obStatus(m) }),
			el('td', { text: String(m.attempts) }),
			el('td', { text: m.last_error || '' }),
			el('td', { text: fmtTime(m.created_at) }),
			retryCell(m, loadOutbox))))) : el('p', { text: t('ob.none') }));
}

async function afterRequestChange(res, msg) {
	if (!res.ok) return fail(res);
	state.request = res.data;
	renderRequest();
	say(status, msg, 'ok');
	// the page again: its timeline, the Art. 19 notices a close queued
	loadRequest(res.data.request, false);
}

/* ---- breaches (dpo) ---- */

function hoursLeft(b) {
	// an overdue one says so once, by its flag (breachFlags)
	if (b.authority_notified || !b.authority_required || b.overdue) return '';
	return t('hours.left', { n: Math.max(0, Math.floor((new Date(b.authority_due) - Date.now()) / 3600e3)) });
}

/* the register: each breach a link to its page, where it is assessed,
   described and notified (breach.js) */
async function loadBreaches() {
	const res = await call('/v1/breaches');
	if (state.view !== 'breaches') return; // gone elsewhere meanwhile
	if (!res.ok) return fail(res);
	state.breaches = res.data.breaches;
	renderBreaches();
}

function fillRisks() {
	for (const sel of document.querySelectorAll('.risk-select')) {
		const v = sel.value;
		sel.replaceChildren(el('option', { value: '', text: t('risk.choose') }),
			...['unlikely', 'risk', 'high'].map(r => el('option', { value: r, text: t('risk.' + r) })));
		sel.value = v;
	}
}

/* told when, not required, or still to do (on the breach's page) */
function toldCell(b, at, required) {
	if (at) return el('td', { text: t('br.told', { at: fmtTime(at) }) });
	return el('td', { text: t(required ? 'br.to.do' : 'br.not.required') });
}

function renderBreaches() {
	if (!state.breaches) return;
	$('br-list').replaceChildren(state.breaches.length ? el('table', {},
		el('thead', {}, el('tr', {}, ['col.breach', 'col.aware', 'col.due', 'col.time.left', 'col.risk',
			'col.authority', 'col.people', 'col.summary'].map(k => el('th', { scope: 'col', text: t(k) })))),
		el('tbody', {}, state.breaches.map(b => el('tr', { 'data-breach': b.breach },
			el('td', {}, el('a', { class: 'id', href: '/staff/breaches/' + encodeURIComponent(b.breach),
				'aria-label': t('bp.open') + ' — ' + b.breach }, b.breach)),
			el('td', { text: fmtTime(b.aware_at) }),
			el('td', { text: fmtTime(b.authority_due) }),
			el('td', { class: b.overdue ? 'overdue' : '' }, hoursLeft(b), ' ', breachFlags(b)),
			el('td', { text: t('risk.' + b.risk) }),
			toldCell(b, b.authority_notified, b.authority_required),
			toldCell(b, b.subjects_notified, b.subjects_required || b.subjects_notified),
			el('td', { text: b.summary }))))) : el('p', { text: t('br.none') }));
}

/* one breach's page (web/staff/breach.js), /staff/breaches/ID: its timeline and its forms */
async function openBreach(id, focus = true, keep = false) {
	// nothing of an earlier visit stays to be filled in while the page loads
	if (!keep) $('breach-page').replaceChildren();
	state.breach = { breach: id };
	const b = await renderBreach($('breach-page'), id, { call, fail,
		warn: msg => say(status, msg, 'err'), done: msg => say(status, msg, 'ok'), back: () => show('breaches') });
	if (!b || state.view !== 'breach') return;
	document.title = $('bp-h').textContent + ' — ' + t('title');
	if (focus) $('bp-h').focus();
}

/* ---- documents ---- */

async function getRegister() {
	const f = $('reg-format').value;
	const res = await download(`/v1/register?format=${f}&lang=${document.documentElement.lang}`, state.token);
	res.ok ? say(status, t('downloaded', { name: res.filename }), 'ok') : fail(res);
}

/* the dossier's form (web/staff/dossier.js), the dpo's */
function mountDossier() {
	renderDossier($('dossier-panel'), { download: p => download(p, state.token), fail,
		done: name => say(status, t('downloaded', { name }), 'ok') });
}

/* ---- wiring ---- */

function fillKinds() {
	const sel = $('open-kind'), v = sel.value;
	sel.replaceChildren(...KINDS.map(k => el('option', { value: k, text: t('kind.' + k) })));
	if (v) sel.value = v;
}

function init() {
	initLang();
	fillKinds();
	fillRisks();
	// a status said in the other language is not left on the page
	onLang(async () => { say(status, ''); fillKinds(); renderWho(); await loadActivityNames(); renderDashboard(); renderSearch(); renderRequest();
		renderBreaches(); renderOutbox(); fillRisks(); rerenderLint($('lint-view'), lintCtx());
		// the pages made from the server's words (in the language asked for) load again
		if (state.view === 'subjects' && state.subject) viewSubject(state.subject, false);
		if (state.view === 'requests') loadRequests();
		if (state.view === 'breach') openBreach(state.breach.breach, false, true);
		mountDossier(); });
	mountDossier();
	$('ob-filter').addEventListener('change', () => {
		setQuery('status', $('ob-filter').value === 'unsent' ? null : $('ob-filter').value);
		loadOutbox();
	});

	$('login-form').addEventListener('submit', async e => {
		e.preventDefault();
		const tok = $('token').value.trim();
		if (await signIn(tok)) {
			$('token').value = '';
			say(status, t('login.ok'), 'ok');
			enter();
		}
	});
	$('logout').addEventListener('click', () => signOut(t('logout.ok'), 'info', 'one'));
	$('logout-all').addEventListener('click', () => signOut(t('logout.ok'), 'info', 'all'));
	const enrolling = initAuth({ call, show, enter, roleName, roles: roleIds, signedIn: async (csrf) => {
		state.csrf = csrf;
		sessionStorage.setItem('pdv-csrf', csrf);
		return signIn(null);
	} });
	// the sections are links (router.js takes the click); a button with
	// data-view in the nav goes to that view's URL too
	document.querySelectorAll('#nav [data-view]').forEach(b =>
		b.addEventListener('click', () => { say(status, ''); if (b.tagName === 'BUTTON') show(b.dataset.view); }));

	$('search-by').addEventListener('change', searchKind);
	$('search-form').addEventListener('submit', e => {
		e.preventDefault();
		search($('search-by').value, $('search-email').value.trim());
	});

	$('open-form').addEventListener('submit', async e => {
		e.preventDefault();
		const body = { kind: $('open-kind').value, email: $('open-email').value.trim() };
		if ($('open-received').value) body.received = $('open-received').value;
		const res = await call('/v1/requests', { method: 'POST', body });
		if (!res.ok) return fail(res);
		$('open-form').reset();
		fillKinds();
		say(status, t('req.opened', { id: res.data.request, due: fmtDate(res.data.due) }), 'ok');
		navigate(requestUrl(res.data.request), { focus: false });
	});

	$('extend-form').addEventListener('submit', async e => {
		e.preventDefault();
		const res = await call(`/v1/requests/${state.request.request}/extend`,
			{ method: 'POST', body: { reason: $('extend-reason').value.trim() } });
		if (res.ok) $('extend-reason').value = '';
		afterRequestChange(res, res.ok ? t('req.extended', { due: fmtDate(res.data.due) }) : '');
	});
	$('close-form').addEventListener('submit', async e => {
		e.preventDefault();
		const refuse = $('outcome-refuse').checked, reason = $('close-reason').value.trim();
		if (refuse && !reason) {
			$('close-reason').setAttribute('aria-invalid', 'true');
			$('close-reason').focus();
			return say(status, t('req.refuse.reason'), 'err');
		}
		$('close-reason').removeAttribute('aria-invalid');
		const body = { refuse };
		if (reason) body.reason = reason;
		// closing cannot be undone, and what is due is sent to the person: asked first
		const r = state.request;
		confirmAfter($('close-form'), t(refuse ? 'req.confirm.refuse' : 'req.confirm.done', { kind: t('kind.' + r.kind) }), async () => {
			const res = await call(`/v1/requests/${r.request}/close`, { method: 'POST', body });
			if (res.ok) $('close-form').reset();
			afterRequestChange(res, res.ok ? t('req.closed', { status: t('status.' + res.data.status) }) : '');
		});
	});
	$('export-btn').addEventListener('click', async () => {
		const res = await download(`/v1/requests/${state.request.request}/export?format=${$('export-format').value}`,
			state.token);
		res.ok ? say(status, t('downloaded', { name: res.filename }), 'ok') : fail(res);
	});
	$('req-subject').addEventListener('click', () =>
		navigate('/staff/subjects/' + encodeURIComponent(state.request.subject)));
	$('reg-btn').addEventListener('click', getRegister);
	$('breach-form').addEventListener('submit', async e => {
		e.preventDefault();
		// the local time typed, sent in UTC as the API wants
		const aware = new Date($('br-aware').value);
		if (isNaN(aware)) return say(status, t('br.aware'), 'err');
		const body = { aware_at: aware.toISOString().replace(/\.\d{3}Z$/, 'Z'), summary: $('br-summary').value.trim() };
		if ($('br-risk').value || $('br-risk-reason').value.trim()) {
			body.risk = $('br-risk').value;
			body.risk_reason = $('br-risk-reason').value.trim();
		}
		const res = await call('/v1/breaches', { method: 'POST', body });
		if (!res.ok) return fail(res);
		$('breach-form').reset();
		say(status, t('br.opened', { id: res.data.breach, due: fmtTime(res.data.authority_due) }), 'ok');
		loadBreaches();
	});

	// a token or a session from an earlier visit in this tab: sign in again
	// silently, and show what the URL names (a reload shows the same view)
	if (enrolling) showSection('enrol', false);
	else if (state.token || state.csrf) signIn(state.token).then(ok => ok ? enter(false)
		: signOut(state.token ? t('login.bad') : t('err.unauthorized'), 'err'));
	else {
		// signed in already: a session opened in another tab (its CSRF token
		// comes back with /v1/me), or a sign-on proxy in front (any CSRF value)
		api('/v1/me').then(async res => {
			if (res.ok && (res.data.via === 'session' || res.data.via === 'proxy')) {
				state.csrf = res.data.csrf || 'proxy';
				sessionStorage.setItem('pdv-csrf', state.csrf);
				if (await signIn(null)) return enter(false);
			}
			showSection('login', false);
		});
	}
}

/* signed in: the view the URL names (a link followed before signing in
   lands where it points), else the dashboard */
function enter(focus = true) {
	startRouter({ show: viewFor, unknown: unknownPage });
	if (focus) $('view-' + state.view).querySelector('h1')?.focus();
}

/* the views of the dpo alone (their links are hidden from other roles, but a
   shared link or a typed URL still names them): for another role, the
   dashboard and a word saying why, rather than a form every call of which
   would be refused */
const DPO_VIEWS = new Set(['breaches', 'breach', 'outbox', 'tokens']);
function viewFor(view, focus) {
	if (!DPO_VIEWS.has(view) || !state.me || state.me.role === 'dpo') return showSection(view, focus);
	showSection('dashboard', focus);
	loadDashboard();
	say(status, t('page.dpo'), 'err');
	return false;
}

/* a /staff/ path no view has: the dashboard, and a word saying so */
function unknownPage() {
	showSection('dashboard');
	loadDashboard();
	say(status, t('page.unknown'), 'err');
}

/* a list's filter, from the URL's query: one of the select's options, else its default */
function filterFrom(select, value) {
	const ok = [...$(select).options].some(o => o.value === value);
	$(select).value = ok ? value : $(select).options[0].value;
}

/* The views and their URLs: one line per view (docs/internals/web.md). */
route('/staff/', 'dashboard', () => loadDashboard());
route('/staff/subjects', 'subjects', () => { state.subject = null; $('person-view').replaceChildren(); });
route('/staff/subjects/:id', 'subjects', p => viewSubject(p.id, false));
route('/staff/requests', 'requests', () => {
	// come from elsewhere: nothing of an earlier visit (its filters) to be
	// used while the list loads; a filter just chosen keeps the form shown
	if (!state.filtering) $('req-list').replaceChildren();
	state.filtering = false;
	state.request = null;
	loadRequests();
});
route('/staff/requests/:id', 'request', p => {
	// not the last request's page while this one loads
	if (!state.request || (state.request.request !== p.id && state.request.reference !== p.id)) {
		state.request = null;
		$('req-panel-h').textContent = t('req.panel', { id: '…' });
		delete $('req-panel-h').dataset.request;
		for (const id of ['req-info', 'req-notices', 'req-desk']) $(id).replaceChildren();
		for (const id of ['req-actions', 'req-export', 'req-subject']) $(id).hidden = true;
	}
	loadRequest(p.id, true);
});
route('/staff/breaches', 'breaches', () => loadBreaches());
route('/staff/breaches/:id', 'breach', p => openBreach(p.id));
route('/staff/outbox', 'outbox', (p, q) => { filterFrom('ob-filter', q.get('status')); loadOutbox(); });
route('/staff/documents', 'documents');
route('/staff/declaration', 'declaration', () => loadLint());

function lintCtx() {
	return { call, fail, activityName, current: () => state.view === 'declaration' };
}

async function loadLint() {
	$('lint-view').replaceChildren();
	await loadActivityNames();
	await renderLint($('lint-view'), lintCtx());
}

init();
