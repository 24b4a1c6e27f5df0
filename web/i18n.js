// Every error code the server answers ({"error": {"code", "message", "field"}},
// docs/server.md "Error codes"), worded for people in French and English:
// one line per code, [fr, en]. The pages never show the server's own message
// (English, and written for operators), a raw code or JSON. A page may word a
// code better for its own context with "err.CODE" or "err.CODE.FIELD" strings
// (common.js errorText looks there first). tests/cli/test_error_codes.py checks
// that every code the C sources can answer is here, in both languages.

/* code: [fr, en] */
export const ERRORS = {
	consent_required: ['Ce traitement demande votre consentement : cochez la case prévue.', 'This processing needs your consent: tick the box.'],
	csrf: ['Cette page a perdu le lien avec votre session : reconnectez-vous.', 'This page lost the link with your session: sign in again.'],
	duplicate_field: ['Un champ est donné deux fois.', 'A field is given twice.'],
	exists: ['Ce nom est déjà pris.', 'This name is already taken.'],
	expired: ['Ce code ou ce lien a expiré : recommencez pour en recevoir un nouveau.', 'This code or link has expired: start again to get a new one.'],
	forbidden: ['Votre rôle ne permet pas cette action.', 'Your role does not allow this.'],
	integrity: ['Le coffre a détecté une altération de ses données : rien n’a été modifié. Prévenez l’administrateur.', 'The vault found its data altered: nothing was changed. Tell the administrator.'],
	internal: ['Erreur interne du serveur. Réessayez ; si elle persiste, prévenez l’administrateur.', 'Internal server error. Try again; if it persists, tell the administrator.'],
	invalid: ['Une valeur saisie n’est pas valide.', 'A value given is not valid.'],
	invalid_date: ['Cette date n’est pas valide (attendu : AAAA-MM-JJ).', 'This date is not valid (expected: YYYY-MM-DD).'],
	invalid_email: ['Cette adresse e-mail n’est pas valide.', 'This email address is not valid.'],
	invalid_number: ['Ce nombre n’est pas valide.', 'This number is not valid.'],
	invalid_phone: ['Ce numéro de téléphone n’est pas valide.', 'This phone number is not valid.'],
	invalid_utf8: ['Ce texte contient des caractères illisibles.', 'This text holds characters that cannot be read.'],
	io: ['Le serveur n’a pas pu lire ou écrire un fichier. Prévenez l’administrateur.', 'The server could not read or write a file. Tell the administrator.'],
	limit: ['C’est au-delà de ce que le coffre accepte (taille ou nombre).', 'This is beyond what the vault accepts (size or number).'],
	link: ['Ce lien n’est pas valide ou a expiré.', 'This link is not valid or has expired.'],
	malformed: ['La demande envoyée est mal formée. Rechargez la page et réessayez.', 'The request sent is malformed. Reload the page and try again.'],
	method: ['Cette action n’est pas possible ici.', 'This action is not possible here.'],
	missing: ['Un champ obligatoire manque.', 'A required field is missing.'],
	nomem: ['Le serveur manque de mémoire. Réessayez dans un instant.', 'The server is out of memory. Try again in a moment.'],
	no_session: ['Il n’y a pas de session à fermer : vous êtes connecté·e par un jeton d’API ou par l’authentification de votre entreprise.', 'There is no session to end: you are signed in by an API token or by your company’s sign-on.'],
	not_found: ['Introuvable, ou hors de ce que votre rôle peut voir.', 'Not found, or outside what your role may see.'],
	parse: ['Ce texte ne peut pas être lu.', 'This text cannot be read.'],
	range: ['Cette date ou ce nombre sort des limites permises.', 'This date or number is out of the allowed range.'],
	rate_limited: ['Trop de demandes : réessayez dans une minute.', 'Too many requests: try again in a minute.'],
	refused: ['Cette action est refusée dans l’état actuel.', 'This action is refused in the present state.'],
	required: ['Ce champ est obligatoire.', 'This field is required.'],
	session: ['Votre session a expiré : recommencez pour recevoir un nouveau code.', 'Your session has expired: start again to get a new code.'],
	suppressed: ['Cette personne s’est opposée à ce traitement : rien n’a été enregistré.', 'This person objected to this processing: nothing was recorded.'],
	too_large: ['C’est trop volumineux pour être envoyé.', 'This is too large to be sent.'],
	too_long: ['Ce texte est trop long.', 'This text is too long.'],
	unauthorized: ['Session expirée ou jeton non valide : reconnectez-vous.', 'Session expired or token not valid: sign in again.'],
	unavailable: ['Le service est momentanément indisponible. Réessayez dans un instant.', 'The service is briefly unavailable. Try again in a moment.'],
	unknown_field: ['Un champ inconnu de ce formulaire a été envoyé.', 'A field this form does not know was sent.'],
	usage: ['La demande est incomplète ou mal formée.', 'The request is incomplete or malformed.'],
	used: ['Ce lien a déjà servi.', 'This link was used already.'],
	wrong_code: ['Ce code n’est pas le bon. Vérifiez-le et réessayez.', 'This code is not the right one. Check it and try again.'],
	network: ['Le serveur ne répond pas. Réessayez dans un instant.', 'The server does not answer. Try again in a moment.'],
};

/* the fields an answer may name, as a person reads them: field: [fr, en] */
export const FIELDS = {
	activity: ['Traitement', 'Activity'], activities: ['Traitements', 'Activities'],
	aware_at: ['Connue depuis', 'Aware since'], summary: ['Résumé', 'Summary'],
	reason: ['Motif', 'Reason'], risk: ['Risque', 'Risk'], who: ['Destinataire de la notification', 'Who is told'],
	consequences: ['Conséquences probables', 'Likely consequences'], measures: ['Mesures prises', 'Measures taken'],
	kind: ['Type de demande', 'Kind of request'], email: ['Adresse e-mail', 'Email address'],
	phone: ['Téléphone', 'Phone'], received: ['Reçue le', 'Received on'], subject: ['Personne', 'Person'],
	request: ['Demande', 'Request'], reference: ['Référence', 'Reference'], code: ['Code', 'Code'],
	token: ['Jeton ou lien', 'Token or link'], status: ['État', 'Status'], format: ['Format', 'Format'],
	lang: ['Langue', 'Language'], event: ['Événement', 'Event'], record: ['Fiche', 'Record'],
	consent: ['Consentement', 'Consent'], fields: ['Champs du formulaire', 'Form fields'],
	name: ['Nom', 'Name'], role: ['Rôle', 'Role'], expires: ['Expiration', 'Expiry'],
	refuse: ['Refus', 'Refusal'], session: ['Session', 'Session'], verification: ['Vérification', 'Verification'],
	channel: ['Reçue par', 'Received through'], logo: ['Logo', 'Logo'],
	// the request desk's and the breach page's (issue 15's breach and request branches)
	at: ['Date et heure', 'Date and time'], aware: ['Connue depuis', 'Aware since'],
	breach: ['Violation', 'Breach'], dpo: ['Contact du DPO (déclaration)', 'DPO contact (declaration)'],
	subjects: ['Personnes concernées', 'People concerned'], nature: ['Nature de la violation', 'Nature of the breach'],
	categories: ['Catégories de personnes et d’enregistrements', 'Categories of people and records'],
	people: ['Nombre de personnes concernées', 'Number of people concerned'],
	records: ['Nombre d’enregistrements concernés', 'Number of records concerned'],
	risk_reason: ['Motif de l’évaluation', 'Reason for the assessment'],
	rectify: ['Données à rectifier', 'Data to rectify'], field: ['Champ', 'Field'], text: ['Note', 'Note'],
	due_within: ['Échéance dans (jours)', 'Due within (days)'], sort: ['Tri', 'Sort'],
	hold: ['Gel', 'Hold'], recipient: ['Destinataire', 'Recipient'],
	restricted: ['Limitation du traitement', 'Restriction of processing'],
	// staff accounts' (sign-in, enrolment, API tokens)
	passphrase: ['Phrase de passe', 'Passphrase'], invitation: ['Invitation', 'Invitation'],
	expires_days: ['Expire après (jours)', 'Expires after (days)'],
};

/* the shared strings of errors: how a field is named after the message */
export const ERROR_STRINGS = {
	fr: { 'err.generic': 'Une erreur est survenue.', 'err.with.field': '{msg} (champ : {field}).' },
	en: { 'err.generic': 'Something went wrong.', 'err.with.field': '{msg} (field: {field}).' },
};
