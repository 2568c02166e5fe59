/* Fixed texts of the reports in Basque, Spanish and English, and dates and periods written for
 * people in each. */
#include "report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct text {
    const char *key, *eu, *es, *en;
};

static const struct text texts[] = {
    {"scorecard", "Aginte-koadroa", "Cuadro de mando", "Scorecard"},
    {"overall", "Puntuazio orokorra", "Puntuación global", "Overall score"},
    {"dimension_scores", "Dimentsioen puntuazioa (0–100)", "Puntuación por dimensión (0–100)",
     "Dimension scores (0–100)"},
    {"radar_desc",
     "Dimentsio bakoitzaren puntuazioa 0tik 100era bitarteko eskalan erakusten duen grafiko "
     "erradiala; zenbakiak beheko taulan daude.",
     "Gráfico radial con la puntuación de cada dimensión en una escala de 0 a 100; los números "
     "están en la tabla siguiente.",
     "Radar chart of the score of each dimension on a 0 to 100 scale; the numbers are in the "
     "table below."},
    {"item_means", "Batez besteko erantzuna itemeka (0–100)", "Respuesta media por ítem (0–100)",
     "Mean answer per item (0–100)"},
    {"radar_items_desc",
     "Item bakoitzaren batez besteko erantzuna 0–100 eskalara egokituta erakusten duen grafiko "
     "erradiala; zenbakiak beheko taulan daude.",
     "Gráfico radial de la respuesta media a cada ítem, reescalada a 0–100; los números están "
     "en la tabla siguiente.",
     "Radar chart of the mean answer to each item, rescaled to 0–100; the numbers are in the "
     "table below."},
    {"outcome_indicators", "Emaitza-adierazleak", "Indicadores de resultado", "Outcome indicators"},
    {"activity_counts", "Jarduera-zenbaketak: egindakoa, ez pertsonentzat aldatu dena",
     "Recuentos de actividad: lo que se hizo, no lo que cambió para las personas",
     "Activity counts: what was done, not what changed for people"},
    {"results", "Emaitzak itemeka", "Resultados por ítem", "Results per item"},
    {"bars_caption", "Erantzunen banaketa itemeka (barra metatu dibergenteak)",
     "Distribución de las respuestas por ítem (barras apiladas divergentes)",
     "Distribution of answers per item (diverging stacked bars)"},
    {"bars_desc",
     "Item bakoitzeko, eskalako puntu bakoitzeko erantzunen ehunekoa; desadostasuna erdiko "
     "lerroaren ezkerrera hedatzen da eta adostasuna eskuinera, erdiko puntua bi aldeetara. "
     "Zenbakiak beheko taulan daude.",
     "Para cada ítem, el porcentaje de respuestas en cada punto de la escala; el desacuerdo se "
     "extiende a la izquierda de la línea central y el acuerdo a la derecha, el punto medio "
     "queda a ambos lados. Los números están en la tabla siguiente.",
     "For each item, the share of answers on each scale point; disagreement extends to the "
     "left of the centre line and agreement to the right, the middle point straddles it. The "
     "numbers are in the table below."},
    {"items_table", "Erantzunak itemeka", "Respuestas por ítem", "Answers per item"},
    {"by_role", "Emaitzak inkestatuaren rolaren arabera",
     "Resultados por perfil de la persona encuestada", "Results by respondent role"},
    {"item", "Itema", "Ítem", "Item"},
    {"text", "Baieztapena", "Afirmación", "Statement"},
    {"role", "Rola", "Perfil", "Role"},
    {"n", "n", "n", "n"},
    {"mean", "Batez bestekoa", "Media", "Mean"},
    {"median", "Mediana", "Mediana", "Median"},
    {"mode", "Moda", "Moda", "Mode"},
    {"sd", "Desbideratze tipikoa", "Desviación típica", "Standard deviation"},
    {"consensus", "Adostasun-maila (0–1)", "Consenso (0–1)", "Consensus (0–1)"},
    {"agreement", "Irakurketa", "Lectura", "Reading"},
    {"agree", "Ados %", "De acuerdo %", "Agree %"},
    {"neutral", "Neutro %", "Neutral %", "Neutral %"},
    {"disagree", "Desados %", "En desacuerdo %", "Disagree %"},
    {"suppressed", "Ez da erakusten: taldea gutxieneko tamainatik beherakoa",
     "No se muestra: grupo menor que el tamaño mínimo", "Not shown: group below the minimum size"},
    {"min_group", "Ez dira erakusten erantzun kopuru hau baino gutxiago dituzten taldeak",
     "No se muestran los grupos con menos respuestas que",
     "Groups with fewer answers than this are not shown"},
    {"respondents", "Parte-hartzaileak", "Personas participantes", "Respondents"},
    {"campaign", "Kanpaina", "Campaña", "Campaign"},
    {"questionnaire", "Galdetegia", "Cuestionario", "Questionnaire"},
    {"scope", "Esparrua", "Ámbito", "Scope"},
    {"period", "Aldia", "Periodo", "Period"},
    {"dates", "Datak", "Fechas", "Dates"},
    {"generated", "Sortua", "Generado", "Generated"},
    {"dimension", "Dimentsioa", "Dimensión", "Dimension"},
    {"score", "Puntuazioa", "Puntuación", "Score"},
    {"coverage", "Estaldura", "Cobertura", "Coverage"},
    {"change", "Aldaketa", "Cambio", "Change"},
    {"indicator", "Adierazlea", "Indicador", "Indicator"},
    {"value", "Balioa", "Valor", "Value"},
    {"unit", "Unitatea", "Unidad", "Unit"},
    {"band", "Tartea", "Franja", "Band"},
    {"code", "Kodea", "Código", "Code"},
    {"no_data", "daturik ez", "sin datos", "no data"},
    {"legend", "Eskala", "Escala", "Scale"},
    {"section", "Atala", "Sección", "Section"},
    {"role.all", "Guztiak", "Todas", "All"},
    {"role.policy_maker", "Arduradun politikoak", "Responsables políticos", "Policy makers"},
    {"role.professional", "Profesionalak", "Profesionales", "Professionals"},
    {"role.third_sector", "Hirugarren sektorea", "Tercer sector", "Third sector"},
    {"role.person_receiving_care", "Zaintza jasotzen duten pertsonak",
     "Personas que reciben cuidados", "Persons receiving care"},
    {"role.family_caregiver", "Familia-zaintzaileak", "Personas cuidadoras familiares",
     "Family caregivers"},
    {"role.researcher", "Ikertzaileak", "Personas investigadoras", "Researchers"},
    {"agreement.consensus", "Adostasuna", "Consenso", "Consensus"},
    {"agreement.mixed", "Mistoa", "Mixto", "Mixed"},
    {"agreement.divergence", "Dibergentzia", "Divergencia", "Divergence"},
    {"agreement.empty", "Erantzunik ez", "Sin respuestas", "No answers"},
    {"band.good", "Ona", "Bueno", "Good"},
    {"band.watch", "Behatzekoa", "En observación", "Watch"},
    {"band.alert", "Alerta", "Alerta", "Alert"},
    {"band.unknown", "Atalaserik ez", "Sin umbrales", "No thresholds"},
    {"unit.count", "kopurua", "número", "number"},
    {"unit.percent", "ehunekoa (%)", "porcentaje (%)", "percentage (%)"},
    {"unit.ratio", "proportzioa (0–1)", "proporción (0–1)", "proportion (0–1)"},
    {"unit.rate_per_100", "tasa 100eko", "tasa por 100", "rate per 100"},
    {"unit.months", "hilabeteak", "meses", "months"},
    {"unit.days", "egunak", "días", "days"},
    {"unit.hours", "orduak", "horas", "hours"},
    {"unit.euros", "euroak", "euros", "euros"},
    {"unit.score", "puntuak", "puntos", "points"},
    {"unit.level", "maila", "nivel", "level"},
    {"unit.likert_mean", "batez besteko adostasuna (Likert eskala)",
     "acuerdo medio (escala Likert)", "mean agreement (Likert scale)"},
    {"provenance", "Jatorria", "Procedencia", "Provenance"},
    {"prov.computed", "Kalkulatua", "Calculado", "Computed"},
    {"prov.computed_from", "Kalkulatua, iturria:", "Calculado a partir de", "Computed from"},
    {"prov.collected", "Jasoa", "Recogido", "Recorded"},
    {"prov.recorded_by", "erregistratzailea:", "por", "by"},
    {"prov.survey", "Inkesta", "Encuesta", "Survey"},
    {"prov.item", "itema", "ítem", "item"},
    {"trend", "Joera", "Tendencia", "Trend"},
    {"trend.up", "gora", "sube", "up"},
    {"trend.down", "behera", "baja", "down"},
    {"trend.same", "berdin", "sin cambios", "unchanged"},
    {"trend.points", "puntu", "puntos", "points"},
    {"trend.since", "aurreko aldiaz geroztik:", "desde", "since"},
    {"trend.none", "aurreko aldirik ez", "sin periodo anterior", "no earlier period"},
    {"open_questions", "Galdera irekiak", "Preguntas abiertas", "Open questions"},
    {"question", "Galdera", "Pregunta", "Question"},
    {"answers", "Erantzunak", "Respuestas", "Answers"},
};

static const char *const months_en[] = {"January",   "February", "March",    "April",
                                        "May",       "June",     "July",     "August",
                                        "September", "October",  "November", "December"};
static const char *const months_es[] = {"enero",      "febrero", "marzo",     "abril",
                                        "mayo",       "junio",   "julio",     "agosto",
                                        "septiembre", "octubre", "noviembre", "diciembre"};
/* Basque month names, and their genitive for "<year>ko <month>aren <day>a". */
static const char *const months_eu[] = {"urtarrila", "otsaila", "martxoa", "apirila",
                                        "maiatza",   "ekaina",  "uztaila", "abuztua",
                                        "iraila",    "urria",   "azaroa",  "abendua"};
static const char *const months_eu_of[] = {
    "urtarrilaren", "otsailaren", "martxoaren", "apirilaren", "maiatzaren", "ekainaren",
    "uztailaren",   "abuztuaren", "irailaren",  "urriaren",   "azaroaren",  "abenduaren"};

static int lang_index(const char *lang)
{
    if (lang && !strcmp(lang, "eu")) return 0;
    if (lang && !strcmp(lang, "es")) return 1;
    return 2;
}

/* Digits of s[from, from + n) as a number, or -1. */
static int digits(const char *s, size_t from, size_t n)
{
    int v = 0;
    for (size_t i = from; i < from + n; i++) {
        if (s[i] < '0' || s[i] > '9') return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

int report_date(const char *lang, const char *iso, char *buf, size_t size)
{
    if (!iso || strlen(iso) < 10 || iso[4] != '-' || iso[7] != '-') return -1;
    int y = digits(iso, 0, 4), m = digits(iso, 5, 2), d = digits(iso, 8, 2);
    if (y < 0 || m < 1 || m > 12 || d < 1 || d > 31) return -1;
    int hh = -1, mm = -1;
    if (strlen(iso) >= 16 && iso[10] == 'T' && iso[13] == ':') {
        hh = digits(iso, 11, 2);
        mm = digits(iso, 14, 2);
    }
    int n;
    switch (lang_index(lang)) {
    case 0:
        n = snprintf(buf, size, "%dko %s %da", y, months_eu_of[m - 1], d);
        break;
    case 1:
        n = snprintf(buf, size, "%d de %s de %d", d, months_es[m - 1], y);
        break;
    default:
        n = snprintf(buf, size, "%d %s %d", d, months_en[m - 1], y);
    }
    if (hh >= 0 && mm >= 0 && n >= 0 && (size_t)n < size)
        snprintf(buf + n, size - (size_t)n, ", %02d:%02d UTC", hh, mm);
    return 0;
}

int report_period(const char *lang, const char *period, char *buf, size_t size)
{
    static const char *const ord[3][4] = {{"lehen", "bigarren", "hirugarren", "laugarren"},
                                          {"primer", "segundo", "tercer", "cuarto"},
                                          {"first", "second", "third", "fourth"}};
    size_t len = period ? strlen(period) : 0;
    int y = len >= 4 ? digits(period, 0, 4) : -1;
    int l = lang_index(lang);
    if (y < 0 || (len != 4 && (len != 7 || period[4] != '-'))) return -1;
    if (len == 4) {
        snprintf(buf, size, "%d", y);
        return 0;
    }
    char kind = period[5];
    int k = kind == 'H' || kind == 'Q' ? digits(period, 6, 1) : digits(period, 5, 2);
    if (kind == 'H' && k >= 1 && k <= 2) {
        static const char *const half[3] = {"%dko %s seihilekoa", "%s semestre de %d",
                                            "%s half of %d"};
        if (l == 0)
            snprintf(buf, size, half[0], y, ord[0][k - 1]);
        else
            snprintf(buf, size, half[l], ord[l][k - 1], y);
        return 0;
    }
    if (kind == 'Q' && k >= 1 && k <= 4) {
        static const char *const quarter[3] = {"%dko %s hiruhilekoa", "%s trimestre de %d",
                                               "%s quarter of %d"};
        if (l == 0)
            snprintf(buf, size, quarter[0], y, ord[0][k - 1]);
        else
            snprintf(buf, size, quarter[l], ord[l][k - 1], y);
        return 0;
    }
    if (kind == 'H' || kind == 'Q' || k < 1 || k > 12) return -1;
    if (l == 0)
        snprintf(buf, size, "%dko %s", y, months_eu[k - 1]);
    else if (l == 1)
        snprintf(buf, size, "%s de %d", months_es[k - 1], y);
    else
        snprintf(buf, size, "%s %d", months_en[k - 1], y);
    return 0;
}

int report_period_previous(const char *period, char *buf, size_t size)
{
    size_t len = period ? strlen(period) : 0;
    int y = len >= 4 ? digits(period, 0, 4) : -1;
    if (y < 0 || (len != 4 && (len != 7 || period[4] != '-'))) return -1;
    if (len == 4) {
        snprintf(buf, size, "%d", y - 1);
        return 0;
    }
    char kind = period[5];
    int k = kind == 'H' || kind == 'Q' ? digits(period, 6, 1) : digits(period, 5, 2);
    int last = kind == 'H' ? 2 : kind == 'Q' ? 4 : 12;
    if (k < 1 || k > last) return -1;
    if (k == 1) {
        y--;
        k = last;
    } else {
        k--;
    }
    if (kind == 'H' || kind == 'Q')
        snprintf(buf, size, "%d-%c%d", y, kind, k);
    else
        snprintf(buf, size, "%d-%02d", y, k);
    return 0;
}

const char *report_text(const char *lang, const char *key)
{
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        if (strcmp(texts[i].key, key)) continue;
        if (lang && !strcmp(lang, "eu")) return texts[i].eu;
        if (lang && !strcmp(lang, "es")) return texts[i].es;
        return texts[i].en;
    }
    return key;
}
