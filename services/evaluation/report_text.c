/* Fixed texts of the reports in Basque, Spanish and English. */
#include "report.h"

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
};

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
