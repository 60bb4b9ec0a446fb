/**
 * Word lists for synthetic data: names, places and the texts officers and supervisors write
 * (the field offices are in offices.ts). Invented people only.
 */

export const FIRST_NAMES = [
  'José',
  'María',
  'Juan',
  'Ana',
  'Luis',
  'Carmen',
  'Carlos',
  'Rosa',
  'Jorge',
  'Sofía',
  'Miguel',
  'Lucía',
  'Pedro',
  'Elena',
  'Francisco',
  'Isabel',
  'Manuel',
  'Gabriela',
  'Antonio',
  'Daniela',
  'Jesús',
  'Valeria',
  'Alejandro',
  'Camila',
  'Ricardo',
  'Fernanda',
  'Óscar',
  'Paola',
  'Héctor',
  'Andrea',
  'Wilmer',
  'Yesenia',
  'Edwin',
  'Marisol',
  'Nelson',
  'Karla',
  'Rigoberto',
  'Ingrid',
  'Alexis',
  'Lidia',
  'Mohammed',
  'Fatima',
  'Arjun',
  'Priya',
  'Wei',
  'Mei',
  'Oleksandr',
  'Olena',
  'Jean',
  'Marie',
  'Emmanuel',
  'Grace',
  'Samuel',
  'Esther',
  'Ivan',
  'Irina',
  'Kwame',
  'Ama',
  'Dmitri',
  'Nadia',
];

export const LAST_NAMES = [
  'García',
  'Hernández',
  'López',
  'Martínez',
  'González',
  'Pérez',
  'Rodríguez',
  'Sánchez',
  'Ramírez',
  'Flores',
  'Cruz',
  'Morales',
  'Reyes',
  'Gómez',
  'Díaz',
  'Vásquez',
  'Castillo',
  'Jiménez',
  'Ruiz',
  'Mendoza',
  'Aguilar',
  'Ortiz',
  'Moreno',
  'Romero',
  'Herrera',
  'Medina',
  'Castro',
  'Vargas',
  'Ramos',
  'Guzmán',
  'Chávez',
  'Mejía',
  'Álvarez',
  'Rivera',
  'Torres',
  'Orellana',
  'Portillo',
  'Barrios',
  'Pineda',
  'Zelaya',
  'Khan',
  'Patel',
  'Singh',
  'Chen',
  'Wang',
  'Kovalenko',
  'Shevchenko',
  'Joseph',
  'Pierre',
  'Mensah',
  'Okafor',
  'Nguyen',
  'Tran',
  'Petrov',
  'Ivanova',
  'Haddad',
  'Rahman',
  'Baptiste',
  'Asante',
  'Silva',
];

/** Country of citizenship (ISO 3166-1 alpha-2) with a relative frequency. */
export const CITIZENSHIPS: [string, number][] = [
  ['MX', 42],
  ['GT', 15],
  ['HN', 13],
  ['SV', 7],
  ['CU', 3],
  ['VE', 3],
  ['CO', 2],
  ['EC', 2],
  ['DO', 2],
  ['NI', 2],
  ['HT', 2],
  ['BR', 1],
  ['IN', 1],
  ['CN', 1],
  ['JM', 1],
  ['PE', 1],
  ['NG', 0.5],
  ['RO', 0.5],
  ['UA', 0.5],
  ['PH', 0.5],
];

export const STAFF_FIRST = [
  'Alex',
  'Jordan',
  'Taylor',
  'Morgan',
  'Casey',
  'Jamie',
  'Riley',
  'Avery',
  'Quinn',
  'Drew',
  'Robin',
  'Cameron',
  'Dana',
  'Emerson',
  'Hayden',
  'Kendall',
  'Logan',
  'Parker',
  'Reese',
  'Sage',
];

export const STAFF_LAST = [
  'Anderson',
  'Brooks',
  'Coleman',
  'Dawson',
  'Ellis',
  'Fisher',
  'Graham',
  'Hayes',
  'Irwin',
  'Jensen',
  'Keller',
  'Lawson',
  'Mitchell',
  'Nolan',
  'Owens',
  'Porter',
  'Reed',
  'Sullivan',
  'Turner',
  'Walsh',
];

/** Where actions happen: appended to the office's city. */
export const PLACES = [
  'residence',
  'place of employment',
  'county jail (transfer under detainer)',
  'state prison (release to ICE custody)',
  'traffic stop with local police',
  'ICE check-in, field office',
  'immigration court',
  'public parking lot',
  'processing center',
];

export const PORTS = [
  'San Ysidro port of entry',
  'Otay Mesa port of entry',
  'Laredo port of entry',
  'Hidalgo port of entry',
  'Paso del Norte port of entry',
  'Nogales port of entry',
  'near Eagle Pass, TX',
  'near Sasabe, AZ',
  'near Del Rio, TX',
  'near Roma, TX',
];

export const JURISDICTIONS = [
  'Harris County, TX',
  'Los Angeles County, CA',
  'Cook County, IL',
  'Maricopa County, AZ',
  'Miami-Dade County, FL',
  'Dallas County, TX',
  'Queens County, NY',
  'Bexar County, TX',
  'Fulton County, GA',
  'King County, WA',
  'U.S. District Court, S.D. Tex.',
  'U.S. District Court, D. Ariz.',
];

/** Aggravated felonies with their INA 101(a)(43) subparagraph. */
export const AGGRAVATED_FELONIES: [string, string][] = [
  ['Trafficking in a controlled substance', 'B'],
  ['Aggravated assault (crime of violence)', 'F'],
  ['Burglary of a habitation', 'G'],
  ['Sexual abuse of a minor', 'A'],
  ['Alien smuggling', 'N'],
  ['Money laundering over $10,000', 'D'],
  ['Firearms trafficking', 'C'],
  ['Robbery', 'G'],
];

export const OTHER_OFFENSES = [
  'Driving under the influence',
  'Petty theft',
  'Driving without a license',
  'Illegal re-entry (8 U.S.C. 1326)',
  'Disorderly conduct',
  'Possession of marijuana',
];

export const GANG_CONVICTIONS = [
  'Participation in a criminal street gang (Cal. Penal Code 186.22)',
  'Aggravated assault, gang enhancement',
];

export const ORGANIZATIONS: [
  string,
  'CRIMINAL_STREET_GANG' | 'TRANSNATIONAL_CRIMINAL_ORGANIZATION',
][] = [
  ['MS-13', 'TRANSNATIONAL_CRIMINAL_ORGANIZATION'],
  ['Barrio 18', 'CRIMINAL_STREET_GANG'],
  ['Sinaloa Cartel', 'TRANSNATIONAL_CRIMINAL_ORGANIZATION'],
  ['Tren de Aragua', 'TRANSNATIONAL_CRIMINAL_ORGANIZATION'],
  ['Latin Kings', 'CRIMINAL_STREET_GANG'],
  ['Sureños', 'CRIMINAL_STREET_GANG'],
];

export const THREAT_RATIONALES = [
  'Recent conviction for a violent offense, repeated arrests since release, and no evidence of rehabilitation outweigh his family ties.',
  'Convicted of trafficking within the last five years and rearrested twice since; the record shows an ongoing pattern of serious offenses.',
  'Active participation in the gang confirmed by the task force, with a weapons offense last year; mitigating factors are limited.',
  'Sentence of over four years for the offense and a history of violence toward others; community ties do not offset the risk.',
];

export const NO_THREAT_RATIONALES = [
  'A single old misdemeanor, steady employment for ten years and three U.S. citizen children: no current threat to public safety.',
  'No criminal history beyond a traffic offense; long residence, community ties and a pending application weigh against enforcement.',
];

export const NATIONAL_SECURITY_RATIONALES = [
  'The joint terrorism task force reports the subject provided material support to a designated organization; apprehension is necessary.',
  'Counterintelligence referral: the subject collected information on a defense facility for a foreign service; apprehension is necessary.',
];

export const JUSTIFICATIONS = [
  'Outstanding fraud warrant and the subject is about to leave the state; acting now costs less than a later search.',
  'Final order of removal since 2019 and repeated failures to appear at check-ins; a targeted arrest is a proportionate use of resources.',
  'Subject is in local custody and about to be released; a detainer now avoids an at-large arrest later with more officers.',
  'Pending identity fraud charges and a prior removal; the case is ready and the operation is already planned in the area.',
  'Employer-based fraud scheme under investigation; the subject is the central witness and is preparing to relocate.',
];

export const APPROVAL_REASONS = [
  'Approved: justified use of resources.',
  'Approved: flight risk documented.',
  'Approved: custody transfer is the least costly option.',
  'Approved.',
];

export const DENIAL_REASONS = [
  'Denied: not a justified use of limited resources at this time.',
  'Denied: the justification does not show why action is needed now.',
  'Denied: long residence and family ties; revisit if circumstances change.',
];

export const WITHDRAWAL_REASONS = [
  'Subject departed voluntarily.',
  'Duplicate request.',
  'Case transferred to another office.',
];

export const EXIGENT_NARRATIVES = [
  'Subject was boarding an international flight; no supervisor was reachable in time.',
  'Encountered during a joint operation with an outstanding warrant and attempting to flee.',
  'Subject was about to be released from local custody within the hour; no supervisor could be reached.',
];

export const POST_JUSTIFICATIONS = [
  'The subject was leaving the country; waiting for approval would have lost the only chance to act.',
  'Release from county custody was imminent and the supervisor was in court; the detainer had to be lodged at once.',
  'The subject fled from the encounter and was apprehended in pursuit; there was no time to seek approval beforehand.',
];

export const RATIFICATION_REASONS = ['Ratified.', 'Ratified: exigency documented.'];

export const CLOSE_REASONS = ['Removed from the United States.', 'Removal order executed.'];
