/*
 * countries.c — reference data the linter and the renderers share: ISO 3166
 * alpha-2 codes, the EU and EEA, the Commission's adequacy decisions (Art. 45),
 * country names in English and French, and the built-in supervisory
 * authorities.
 *
 * Adequacy as of 2026: Andorra, Argentina, Canada (commercial organisations),
 * Faroe Islands, Guernsey, Israel, Isle of Man, Japan, Jersey, New Zealand,
 * Republic of Korea, Switzerland, United Kingdom, Uruguay; the United States
 * only for organisations certified under the EU-US Data Privacy Framework,
 * which a declaration states as `safeguard: dpf`, so "US" is not adequate here.
 */
#include <string.h>

#include "pdv/decl.h"

static const char iso_codes[] =
    "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO "
    "BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ "
    "DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP "
    "GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG "
    "KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML "
    "MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE "
    "PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL "
    "SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM "
    "US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

static const char eu_codes[] =
    "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK";

static const char adequate_codes[] = "AD AR CA FO GG IL IM JP JE NZ KR CH GB UY";

static bool in_list(const char *list, const char *code)
{
	if (!code || strlen(code) != 2)
		return false;
	for (const char *p = list; *p; p += 3) {
		if (p[0] == code[0] && p[1] == code[1])
			return true;
		if (!p[2])
			break;
	}
	return false;
}

bool pdv_country_valid(const char *code)
{
	return in_list(iso_codes, code);
}

bool pdv_country_in_eu(const char *code)
{
	return in_list(eu_codes, code);
}

bool pdv_country_in_eea(const char *code)
{
	return pdv_country_in_eu(code) || in_list("IS LI NO", code);
}

bool pdv_country_adequate(const char *code)
{
	return in_list(adequate_codes, code);
}

static const struct {
	const char *code, *en, *fr;
} names[] = {
    {"AD", "Andorra", "Andorre"},
    {"AR", "Argentina", "Argentine"},
    {"AT", "Austria", "Autriche"},
    {"AU", "Australia", "Australie"},
    {"BE", "Belgium", "Belgique"},
    {"BG", "Bulgaria", "Bulgarie"},
    {"BR", "Brazil", "Brésil"},
    {"CA", "Canada", "Canada"},
    {"CH", "Switzerland", "Suisse"},
    {"CN", "China", "Chine"},
    {"CY", "Cyprus", "Chypre"},
    {"CZ", "Czechia", "Tchéquie"},
    {"DE", "Germany", "Allemagne"},
    {"DK", "Denmark", "Danemark"},
    {"EE", "Estonia", "Estonie"},
    {"ES", "Spain", "Espagne"},
    {"FI", "Finland", "Finlande"},
    {"FO", "Faroe Islands", "Îles Féroé"},
    {"FR", "France", "France"},
    {"GB", "United Kingdom", "Royaume-Uni"},
    {"GG", "Guernsey", "Guernesey"},
    {"GR", "Greece", "Grèce"},
    {"HR", "Croatia", "Croatie"},
    {"HU", "Hungary", "Hongrie"},
    {"IE", "Ireland", "Irlande"},
    {"IL", "Israel", "Israël"},
    {"IM", "Isle of Man", "Île de Man"},
    {"IN", "India", "Inde"},
    {"IS", "Iceland", "Islande"},
    {"IT", "Italy", "Italie"},
    {"JE", "Jersey", "Jersey"},
    {"JP", "Japan", "Japon"},
    {"KR", "Republic of Korea", "République de Corée"},
    {"LI", "Liechtenstein", "Liechtenstein"},
    {"LT", "Lithuania", "Lituanie"},
    {"LU", "Luxembourg", "Luxembourg"},
    {"LV", "Latvia", "Lettonie"},
    {"MA", "Morocco", "Maroc"},
    {"MC", "Monaco", "Monaco"},
    {"MT", "Malta", "Malte"},
    {"MU", "Mauritius", "Maurice"},
    {"NL", "Netherlands", "Pays-Bas"},
    {"NO", "Norway", "Norvège"},
    {"NZ", "New Zealand", "Nouvelle-Zélande"},
    {"PL", "Poland", "Pologne"},
    {"PT", "Portugal", "Portugal"},
    {"RO", "Romania", "Roumanie"},
    {"RU", "Russia", "Russie"},
    {"SE", "Sweden", "Suède"},
    {"SG", "Singapore", "Singapour"},
    {"SI", "Slovenia", "Slovénie"},
    {"SK", "Slovakia", "Slovaquie"},
    {"TN", "Tunisia", "Tunisie"},
    {"TR", "Türkiye", "Turquie"},
    {"UA", "Ukraine", "Ukraine"},
    {"US", "United States", "États-Unis"},
    {"UY", "Uruguay", "Uruguay"},
    {"VN", "Viet Nam", "Viêt Nam"},
    {"ZA", "South Africa", "Afrique du Sud"},
};

const char *pdv_country_name(const char *code, const char *lang)
{
	if (!code)
		return "";
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(names[i].code, code) == 0)
			return lang && strcmp(lang, "fr") == 0 ? names[i].fr : names[i].en;
	return code;
}

/* one row per entry, as the table reads */
/* clang-format off */
static const struct pdv_authority_info authorities[] = {
	{"cnil", "Commission nationale de l'informatique et des libertés (CNIL)",
	 "Commission nationale de l'informatique et des libertés (CNIL)",
	 "3 place de Fontenoy, TSA 80715, 75334 Paris Cedex 07, France", "https://www.cnil.fr",
	 "https://www.cnil.fr/fr/plaintes"},
	{"apd-be", "Data Protection Authority (Belgium)", "Autorité de protection des données (Belgique)",
	 "Rue de la Presse 35, 1000 Bruxelles, Belgique", "https://www.autoriteprotectiondonnees.be",
	 "https://www.autoriteprotectiondonnees.be/citoyen/agir/introduire-une-plainte"},
	{"cnpd-lu", "National Commission for Data Protection (Luxembourg)",
	 "Commission nationale pour la protection des données (Luxembourg)",
	 "15, Boulevard du Jazz, L-4370 Belvaux, Luxembourg", "https://cnpd.public.lu",
	 "https://cnpd.public.lu/fr/particuliers/faire-valoir.html"},
	{"edpb", "European Data Protection Board", "Comité européen de la protection des données",
	 "Rue Wiertz 60, 1047 Brussels, Belgium", "https://www.edpb.europa.eu",
	 "https://www.edpb.europa.eu/about-edpb/about-edpb/members_en"},
};
/* clang-format on */

const struct pdv_authority_info *pdv_authority_builtin(const char *id)
{
	if (!id)
		return NULL;
	for (size_t i = 0; i < sizeof(authorities) / sizeof(authorities[0]); i++)
		if (strcmp(authorities[i].id, id) == 0)
			return &authorities[i];
	return NULL;
}
