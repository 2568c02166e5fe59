-- The think-tank questionnaire (THINK-TANK-PERS) as the think tank itself framed it: revision 2
-- asks about its five accelerators of personalisation and the eight spaces of transition of its
-- Table 2, each on the same 1-5 agreement scale, and ends each section with a free-text
-- question on the accelerators or spaces it did not list (optional).
--
-- Revision 1 (the thirteen statements of 002) stays: campaigns created before this migration
-- keep asking it and keep their answers and results; every campaign created from now on asks
-- revision 2. The questionnaire keeps its code.

UPDATE questionnaires SET revision = 2,
       description = jsonb_build_object(
           'eu', 'Adierazi zure ados-maila baieztapen bakoitzarekin, zure lurraldeko zaintza-ekosistemari buruz pentsatuta. Atal bakoitzaren azken galdera irekia da eta erantzun gabe utz daiteke.',
           'es', 'Indique su grado de acuerdo con cada afirmación pensando en el ecosistema de cuidados de su territorio. La última pregunta de cada sección es abierta y puede dejarse en blanco.',
           'en', 'Rate how far you agree with each statement, thinking of the care ecosystem in your territory. The last question of each section is open and may be left blank.')
 WHERE code = 'THINK-TANK-PERS';

UPDATE questionnaire_sections s
   SET description = jsonb_build_object(
           'eu', 'Zaintza-eredua egungotik zaintza pertsonalizatu eta komunitarioetara igarotzen ari den eremuak.',
           'es', 'Ámbitos en los que el modelo de cuidados está pasando del actual a unos cuidados personalizados y comunitarios.',
           'en', 'Areas where the care model is moving from the current one towards personalised, community-based care.')
  FROM questionnaires q
 WHERE q.id = s.questionnaire_id AND q.code = 'THINK-TANK-PERS' AND s.code = 'TRS';

-- Likert items: the same 1-5 agreement scale as revision 1.
INSERT INTO items (questionnaire_id, section_id, code, position, text, scale_min, scale_max,
                   scale_labels, revision, kind, required)
SELECT q.id, s.id, i.code, i.position, jsonb_build_object('eu', i.text_eu, 'es', i.text_es, 'en', i.text_en),
       1, 5,
       jsonb_build_array(
               jsonb_build_object('eu', 'Guztiz desados', 'es', 'Totalmente en desacuerdo', 'en', 'Strongly disagree'),
               jsonb_build_object('eu', 'Desados', 'es', 'En desacuerdo', 'en', 'Disagree'),
               jsonb_build_object('eu', 'Ez ados ez desados', 'es', 'Ni de acuerdo ni en desacuerdo', 'en', 'Neither agree nor disagree'),
               jsonb_build_object('eu', 'Ados', 'es', 'De acuerdo', 'en', 'Agree'),
               jsonb_build_object('eu', 'Guztiz ados', 'es', 'Totalmente de acuerdo', 'en', 'Strongly agree')),
       2, 'likert', true
  FROM questionnaires q
  JOIN (VALUES
        ('ACC', 'ACC-LEAD', 101,
         'Lidergoa eta bultzada teknikoa: erakundeen lidergoak eta bultzada teknikoak zaintzaren pertsonalizazioa bizkortzen dute gure lurraldean.',
         'Liderazgo e impulso técnico: el liderazgo y el impulso técnico de las organizaciones aceleran la personalización de los cuidados en nuestro territorio.',
         'Leadership and technical drive: the leadership and technical drive of organisations speed up the personalisation of care in our territory.'),
        ('ACC', 'ACC-SOC', 102,
         'Gizarte-eskaria: pertsonek eta familiek eskatzen dutenak zaintzaren pertsonalizazioa bizkortzen du gure lurraldean.',
         'Demanda social: lo que piden las personas y las familias acelera la personalización de los cuidados en nuestro territorio.',
         'Social demand: what people and families ask for speeds up the personalisation of care in our territory.'),
        ('ACC', 'ACC-POL', 103,
         'Bultzada politiko eta instituzionala: konpromiso politiko eta instituzionalak zaintzaren pertsonalizazioa bizkortzen du gure lurraldean.',
         'Impulso político e institucional: el compromiso político e institucional acelera la personalización de los cuidados en nuestro territorio.',
         'Political and institutional drive: political and institutional commitment speeds up the personalisation of care in our territory.'),
        ('ACC', 'ACC-PRO', 104,
         'Profesionalen konpromisoa eta inplikazioa: profesionalen konpromisoak eta inplikazioak zaintzaren pertsonalizazioa bizkortzen dute gure lurraldean.',
         'Compromiso e implicación profesional: el compromiso y la implicación de los y las profesionales aceleran la personalización de los cuidados en nuestro territorio.',
         'Professional engagement and involvement: the engagement and involvement of professionals speed up the personalisation of care in our territory.'),
        ('ACC', 'ACC-EVI', 105,
         'Ebidentzia zientifikoa, ebaluazioa eta I+G+B sortzea: ikerketak, ebaluazioak eta I+G+Bk zaintzaren pertsonalizazioa bizkortzen dute gure lurraldean.',
         'Generación de evidencia científica, evaluación e I+D+i: la investigación, la evaluación y la I+D+i aceleran la personalización de los cuidados en nuestro territorio.',
         'Generation of scientific evidence, evaluation and RDi: research, evaluation and research, development and innovation speed up the personalisation of care in our territory.'),
        ('TRS', 'TRS-PORT', 111,
         'Zerbitzu-zorroa: zerbitzu-eskaintza aldatzen ari da, laguntza pertsona bakoitzari egokitu ahal izateko.',
         'Cartera de servicios: la oferta de servicios está cambiando para que el apoyo pueda ajustarse a cada persona.',
         'Service portfolio: the range of services on offer is changing so that support can be fitted to each person.'),
        ('TRS', 'TRS-CHOICE', 112,
         'Erabiltzailearen aukera: pertsonek aukera dezakete zer laguntza jasotzen duten, nork ematen dien eta nola.',
         'Elección de la persona usuaria: las personas pueden elegir el apoyo que reciben, quién se lo presta y cómo.',
         'User choice: people can choose the support they receive, who provides it and how.'),
        ('TRS', 'TRS-COMM', 113,
         'Komunitatean oinarritutako zerbitzuak: laguntza gero eta gehiago ematen da pertsonaren etxean eta komunitatean, eta ez erakundeetan.',
         'Servicios de base comunitaria: el apoyo se presta cada vez más en el domicilio y la comunidad de la persona, y no en instituciones.',
         'Community-based services: support is increasingly provided in the person''s home and community rather than in institutions.'),
        ('TRS', 'TRS-ACT', 114,
         'Jarduera esanguratsuak: zaintza behar duten pertsonek beraientzat zentzua duten jardueretan parte hartzen dute.',
         'Actividades significativas: las personas que necesitan cuidados participan en actividades que tienen sentido para ellas.',
         'Meaningful activities: people who need care take part in activities that matter to them.'),
        ('TRS', 'TRS-NET', 115,
         'Sare-lana eta parte-hartzea: erakundeek sarean lan egiten dute, eta pertsonek beren zaintzari eta komunitateari buruzko erabakietan parte hartzen dute.',
         'Trabajo en red y participación: las organizaciones trabajan en red y las personas participan en las decisiones sobre sus cuidados y su comunidad.',
         'Networking and participation: organisations work as a network and people take part in decisions about their care and their community.'),
        ('TRS', 'TRS-HOUSE', 116,
         'Komunitateko etxebizitza: komunitatean etxebizitza-aukerak daude (etxe egokituak, laguntzadun eta partekatutako etxebizitzak), egoitzaren alternatiba gisa.',
         'Vivienda comunitaria: hay opciones de vivienda en la comunidad (hogares adaptados, viviendas con apoyo y compartidas) como alternativa a la residencia.',
         'Community housing: there are housing options in the community (adapted homes, supported and shared housing) as an alternative to residential care.'),
        ('TRS', 'TRS-TEAM', 117,
         'Profesional-talde kualifikatuak: taldeek zaintza pertsonalizatuek behar duten kualifikazioa, prestakuntza eta egonkortasuna dituzte.',
         'Equipos profesionales cualificados: los equipos tienen la cualificación, la formación y la estabilidad que requieren unos cuidados personalizados.',
         'Qualified professional teams: teams have the qualifications, training and stability that personalised care needs.'),
        ('TRS', 'TRS-INFO', 118,
         'Komunikazio irisgarria: zaintzari eta eskubideei buruzko informazioa pertsona guztiei iristen zaie, uler dezaketen moduan.',
         'Comunicación accesible: la información sobre cuidados y derechos llega a todas las personas de forma que puedan entenderla.',
         'Accessible communication: information about care and rights reaches everyone in a form they can understand.')
       ) AS i (section, code, position, text_eu, text_es, text_en) ON true
  JOIN questionnaire_sections s ON s.questionnaire_id = q.id AND s.code = i.section
 WHERE q.code = 'THINK-TANK-PERS';

-- The closing free-text question of each section, optional.
INSERT INTO items (questionnaire_id, section_id, code, position, text, scale_min, scale_max,
                   scale_labels, allow_comment, revision, kind, required)
SELECT q.id, s.id, i.code, i.position, jsonb_build_object('eu', i.text_eu, 'es', i.text_es, 'en', i.text_en),
       NULL, NULL, NULL, false, 2, 'text', false
  FROM questionnaires q
  JOIN (VALUES
        ('ACC', 'ACC-OTHER', 106,
         'Beste azeleragailu batzuk: zein beste pertsonalizazio-azeleragailu ikusten dituzu zure lurraldean?',
         'Otros aceleradores: ¿qué otros aceleradores de la personalización ve en su territorio?',
         'Other accelerators: which other accelerators of personalisation do you see in your territory?'),
        ('TRS', 'TRS-OTHER', 119,
         'Beste trantsizio-espazio batzuk: zein beste trantsizio-espazio ikusten dituzu zure lurraldean zaintza pertsonalizatuetarantz?',
         'Otros espacios de transición: ¿qué otros espacios de transición hacia unos cuidados personalizados ve en su territorio?',
         'Other spaces of transition: which other spaces of transition towards personalised care do you see in your territory?')
       ) AS i (section, code, position, text_eu, text_es, text_en) ON true
  JOIN questionnaire_sections s ON s.questionnaire_id = q.id AND s.code = i.section
 WHERE q.code = 'THINK-TANK-PERS';
