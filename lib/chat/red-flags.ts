// The red-flag interrupt: the first thing the chatbot does with a message, before retrieval and
// before any model. A symptom-like or crisis-like message gets a fixed signposting reply and the
// conversation stops there, so the chatbot never assesses symptoms (which would make it a medical
// device). It is deterministic on purpose: the same words always give the same reply, it can be
// tested exhaustively, and no model output can override it. It errs towards firing: a wrongly
// fired interrupt costs a patient one extra click, a missed one could cost a life. Negation is
// deliberately ignored ("no chest pain but..." still fires) for the same reason.
//
// The table it implements is in docs/chatbot.md; keep the two in step.

export type RedFlagRoute = 'emergency' | 'mental-health' | 'baby-fever' | 'urgent-care';

export interface RedFlag {
  route: RedFlagRoute;
  /** Which row of the table fired, e.g. 'chest-pain', 'stroke', 'baby-fever'. */
  rule: string;
}

export interface Signpost {
  text: string;
  links: { label: string; href: string }[];
}

// ---------------------------------------------------------------------------------------------
// Normalising. Patients write in a hurry, on phones, upset: lower case, no punctuation, typos,
// doubled letters. Everything below matches against the normalised form, and every pattern's
// source goes through the same letter-collapsing, so patterns can be written in plain English.

/** Collapses runs of the same letter to one ("chesst" and "chest", "bleeding" and "bleding"). */
function collapseLetters(s: string): string {
  return s.replace(/([a-z])\1+/g, '$1');
}

/** The same collapsing for a regular expression's source, leaving escapes such as `\b` alone. */
function collapsePattern(src: string): string {
  let out = '';
  let prev = '';
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === '\\') {
      out += c + (src[i + 1] ?? '');
      i++;
      prev = '';
      continue;
    }
    if (c >= 'a' && c <= 'z' && c === prev) continue;
    out += c;
    prev = c >= 'a' && c <= 'z' ? c : '';
  }
  return out;
}

// Misspellings seen in patient messages that edit distance alone would miss or get wrong. Keys
// and values are written plainly; they are collapsed like the text when the table is built.
const misspellings: Record<string, string> = {
  stroak: 'stroke', strok: 'stroke', storke: 'stroke', stroek: 'stroke', strocke: 'stroke', strook: 'stroke',
  anaphalaxis: 'anaphylaxis', anafalaxis: 'anaphylaxis', anafylaxis: 'anaphylaxis', anaphylaxsis: 'anaphylaxis',
  anaphylaxic: 'anaphylactic', anaphalactic: 'anaphylactic', anafalactic: 'anaphylactic', anaphylatic: 'anaphylactic',
  suicidle: 'suicidal', sucidal: 'suicidal', sucidle: 'suicidal', suisidal: 'suicidal', suicidel: 'suicidal', suacidal: 'suicidal',
  sucide: 'suicide', suicde: 'suicide', suiside: 'suicide',
  brething: 'breathing', breathin: 'breathing', breating: 'breathing', breahting: 'breathing', breithing: 'breathing', brathing: 'breathing',
  breath: 'breathe', brethe: 'breathe', breth: 'breathe', breate: 'breathe', brefe: 'breathe', breeve: 'breathe', breathee: 'breathe',
  overdosed: 'overdose', overdosing: 'overdose', overdoes: 'overdose', ovedose: 'overdose', odd: 'od', oded: 'od',
  unconcious: 'unconscious', unconsious: 'unconscious', unconscience: 'unconscious', unconcsious: 'unconscious',
  siezure: 'seizure', seizue: 'seizure', seazure: 'seizure', siezures: 'seizure', seizures: 'seizure', siezing: 'seizing',
  chst: 'chest', ches: 'chest', chesty: 'chesty',
  paine: 'pain', pian: 'pain', pains: 'pain', hurst: 'hurts',
  menigitis: 'meningitis', meningitus: 'meningitis', menengitis: 'meningitis', meningititis: 'meningitis',
  slured: 'slurred', slurd: 'slurred', slurry: 'slurred', slurring: 'slurred',
  droopy: 'drooping', droppy: 'drooping', droop: 'drooping', drooped: 'drooping', dropped: 'drooping', dropping: 'drooping',
  colapsed: 'collapsed', collasped: 'collapsed', colasped: 'collapsed', collapse: 'collapsed', collapsing: 'collapsed',
  temprature: 'temperature', temperture: 'temperature', tempreture: 'temperature', temp: 'temperature', tempature: 'temperature', temps: 'temperature',
  fevre: 'fever', feaver: 'fever', fevers: 'fever', feverish: 'fever',
  bleding: 'bleeding', bleeing: 'bleeding', bledding: 'bleeding', bleading: 'bleeding',
  swolen: 'swollen', swolled: 'swollen', swelled: 'swollen', swelling: 'swollen', sweling: 'swollen', swoolen: 'swollen',
  tounge: 'tongue', tung: 'tongue', toungue: 'tongue',
  throught: 'throat', throath: 'throat', throte: 'throat',
  pils: 'pills', tabs: 'tablets', tablests: 'tablets', tablits: 'tablets',
  yrs: 'year', yr: 'year', years: 'year', wks: 'week', wk: 'week', weeks: 'week', mnth: 'month', mths: 'month', mnths: 'month', months: 'month',
  dyin: 'dying', diying: 'dying',
  kil: 'kill', kms: 'kill myself',
  bby: 'baby', babby: 'baby', babys: 'baby', babies: 'baby', newborn: 'baby', infant: 'baby',
  mysef: 'myself', myslef: 'myself', meself: 'myself',
  unwel: 'unwell', poorley: 'poorly',
  vomitting: 'vomiting', vommiting: 'vomiting', vomming: 'vomiting', vomit: 'vomiting', vomited: 'vomiting',
  excruciating: 'severe', unbearable: 'severe', agonising: 'severe',
  urgant: 'urgent', urgernt: 'urgent', emergancy: 'emergency', emergeny: 'emergency', emergencey: 'emergency',
  ambulence: 'ambulance', amberlance: 'ambulance', ambulanse: 'ambulance',
};

// Long, distinctive words worth correcting by edit distance too. Short words are left out because
// one edit turns them into ordinary words ("choking" and "cooking", "fitting" and "sitting").
const fuzzyWords = [
  'breathing', 'breathless', 'anaphylaxis', 'anaphylactic', 'suicidal', 'overdose', 'unconscious', 'meningitis',
  'bleeding', 'collapsed', 'temperature', 'unresponsive', 'convulsing', 'shivering', 'seizure',
].map(collapseLetters);

const misspelt = new Map(Object.entries(misspellings).map(([k, v]) => [collapseLetters(k), collapseLetters(v)]));

/** Damerau-Levenshtein distance, giving up as soon as it exceeds `max`. */
function withinEdits(a: string, b: string, max: number): boolean {
  if (Math.abs(a.length - b.length) > max) return false;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2]! + 1);
      row.push(v);
      if (v < best) best = v;
    }
    if (best > max) return false;
    prev2 = prev;
    prev = row;
  }
  return prev[b.length]! <= max;
}

const corrected = new Map<string, string>();

function correctWord(w: string): string {
  const known = misspelt.get(w);
  if (known !== undefined) return known;
  if (w.length < 7 || /\d/.test(w)) return w;
  const cached = corrected.get(w);
  if (cached !== undefined) return cached;
  let out = w;
  for (const k of fuzzyWords) {
    // Same first letter, so "responsive" never becomes "unresponsive".
    if (k === w) break;
    if (k[0] === w[0] && withinEdits(w, k, k.length >= 10 ? 2 : 1)) {
      out = k;
      break;
    }
  }
  // The cache is bounded so a flood of unique words cannot grow memory without limit.
  if (corrected.size < 5000) corrected.set(w, out);
  return out;
}

/** The form every pattern matches against: plain lower-case words separated by single spaces. */
export function normaliseMessage(text: string): string {
  let s = text.normalize('NFKC').toLowerCase().normalize('NFD');
  s = s
    .replace(/\p{M}+/gu, '')
    // Zero-width and other format characters would split words invisibly.
    .replace(/\p{Cf}+/gu, '')
    .replace(/[\u2018\u2019\u02bc`´]/g, "'")
    .replace(/\ba\s*(?:&|and|n)\s*e\b/g, ' aande ')
    .replace(/&/g, ' and ')
    .replace(/'/g, '')
    .replace(/[^a-z0-9]+/g, ' ');
  s = collapseLetters(s);
  // Phrasings that mean the same thing become one, so patterns need only one spelling. The
  // lookahead leaves the following space in place so neighbouring phrases are rewritten too.
  s = ` ${s} `
    .replace(/ (?:can ?not|carnt|cnt|cant|couldnt|could not|unable to|not able to|struggling to|strugling to|struggles to|strugles to)(?= )/g, ' cant')
    .replace(/ (?:wil not|wont|wouldnt|would not|doesnt|does not|isnt|is not|dont|do not|didnt|did not|aint)(?= )/g, ' wont')
    .replace(/ (?:hes|shes|he is|she is|theyre|they are|its|it is|im|i am|ive|weve|youre|you are)(?= )/g, ' is');
  const words = s.trim().split(' ');
  for (let i = 0; i < words.length; i++) words[i] = correctWord(words[i]!);
  return words.join(' ');
}

// ---------------------------------------------------------------------------------------------
// The table. Rows in the order of section 4; routes are ranked separately, so the most severe
// route wins whatever the row order.

const severity: Record<RedFlagRoute, number> = { emergency: 0, 'baby-fever': 1, 'mental-health': 2, 'urgent-care': 3 };

/** Up to `n` words between two phrases, written as regular-expression alternatives. */
function near(a: string, b: string, n = 4): string {
  return `\\b(?:${a})\\b(?: [a-z0-9]+){0,${n}} (?:${b})\\b`;
}

/** A phrase not followed by a word that makes it an administrative question ("stroke clinic"). */
function notAdmin(a: string): string {
  return `\\b(?:${a})\\b(?! (?:${adminWords})\\b)`;
}

const adminWords =
  'clinic|clinics|review|reviews|nurse|nurses|service|services|team|medication|medicine|medicines|meds|tablets|prescription|prescriptions|' +
  'repeat|appointment|appointments|check|checks|checkup|group|groups|leaflet|leaflets|information|info|test|tests|testing|specialist|consultant|referral|' +
  'support|register|plan|plans|awareness|prevention|training|course|x ray|xray|scan|jab|jabs|vaccine|vaccines|vaccination|vaccinations|injection|' +
  'pen|pens|kit|policy|letter|season|syrup|cream|spray';

// Pain words; "pressure" and "heavy" only count next to "chest", where they mean what they say.
const painCore = 'pain|painful|hurt|hurts|hurting|ache|aching|aches|sore|pounding|stabbing|sharp|agony|cramp|cramps';
const chestPain = `${painCore}|tight|tightness|tightening|heavy|heaviness|pressure|crushing|squeezing|squeeze|burning|discomfort`;

// "Blood" in a blood test, blood pressure or blood sugar question is admin, not bleeding.
const blood = 'blood(?! (?:test|tests|pressure|sugar|sugars|results?|forms?|donation|donor|donors|work|count|glucose|group|type|bank))';

interface Row {
  route: RedFlagRoute;
  rule: string;
  patterns: string[];
}

const rows: Row[] = [
  {
    route: 'emergency',
    rule: 'chest-pain',
    patterns: [
      near(`chest(?! (?:${adminWords})\\b)|chesty`, chestPain, 8),
      near(chestPain, `chest(?! (?:${adminWords})\\b)`, 5),
      `\\bheart ?attack\\b|\\bcardiac arrest\\b|\\bangina (?:attack|is|wont|pain)\\b`,
      near(`${painCore}|spreading|spreads|radiating|shooting|going|moving|travels|travelling`, '(?:left |right )?(?:arm|arms|jaw|shoulder|back|neck)', 4) + `(?=.*\\b(?:chest|heart|jaw)\\b)`,
      `\\b(?:pain|hurt|hurts|ache) (?:is )?(?:spreading|radiating|shooting) (?:down|to|into|up)\\b`,
      // Arm and jaw together are the classic spread of heart pain, even with no chest mentioned.
      near('arm|arms|shoulder', 'jaw', 4),
      near('jaw', 'arm|arms|shoulder', 4),
    ],
  },
  {
    route: 'emergency',
    rule: 'stroke',
    patterns: [
      notAdmin('stroke|strokes'),
      `\\bmini stroke\\b|\\btia\\b`,
      near('face|mouth|lip|lips|eye|eyelid|smile|side of (?:his|her|my|their) face', 'drooping|drop|fallen|falen|falling|lopsided|slanted|slipped|sagging|crooked|wonky|numb|gone funny|one sided|paralysed|frozen', 4),
      near('drooping|lopsided|sagging|wonky|fallen|crooked', 'face|mouth|smile', 3),
      `\\bcant (?:lift|raise|move|hold up|feel|use|put up) (?:(?:his|her|my|their|both|one|the|left|right|either|up) )*(?:arm|arms|hand|leg|side)\\b`,
      near('arm|arms|leg|side', 'gone (?:weak|numb|dead|limp|floppy)|wont (?:lift|move|work)|is (?:weak|numb|dead|limp)', 3),
      near('slurred|slurring|garbled|jumbled|mumbled|muddled', 'speech|speaking|talking|talk|words|voice', 3),
      near('speech|speaking|talking|words', 'slurred|garbled|jumbled|strange|weird|funny|wrong|nonsense|muddled', 3),
      `\\b(?:sudden|suddenly) (?:weak|weakness|numb|numbness|paralysis|paralysed)\\b`,
      `\\bcant (?:speak|talk|get (?:his|her|my|their|the) words out)\\b(?! (?:in (?:full )?sentences|to (?:anyone|someone|a)|english|on the phone))`,
      `\\bcant (?:understand|make sense of) (?:what )?(?:anyone|people|me|him|her)\\b(?! (?:on the phone|english))`,
    ],
  },
  {
    route: 'emergency',
    rule: 'breathing',
    patterns: [
      `\\bcant (?:breathe|breathing|catch (?:his|her|my|their) breathe|get (?:his|her|my|their|any) breathe|get air|get enough air|speak in (?:full )?sentences|finish (?:a|his|her|my) sentences?)\\b`,
      `\\b(?:difficulty|dificulty|trouble|problems?|hard|struggle|fighting|gasping|gasp) (?:in |with |for |to )?(?:breathe|breathing|air)\\b`,
      `\\b(?:not|stoped|stopped|stops|wont|isnt|barely|hardly) breathing\\b`,
      near('breathing|breathe', 'fast|funny|weird|strange|noisy|rattly|rattling|bad|badly|difficult|hard|laboured|labored|shallow|struggling|grunting|worse|stopped|stoping', 3),
      `\\b(?:short of breathe|shortness of breathe|out of breathe|breathless|breathlessness|fighting for breathe|gasping|wheezing badly|cant stop wheezing)\\b`,
      `\\b(?:choking|choked|chocking|choke)\\b`,
      `\\b(?:ribs|chest|tummy|neck) (?:is |are )?(?:sucking|pulling|caving|sinking) in\\b`,
      `\\b(?:turned|turning|gone|going|went|go|goes|is) (?:a bit |quite |very |all )?(?:blue|grey|gray|purple)\\b(?! (?:door|doors|badge|badges|car|form|building|sign|entrance|bin|bins|card|cards|line|light|box))`,
      near('lips|lip|face|tongue|fingers|fingertips|toes|skin', 'blue|grey|gray|purple', 3),
      `\\b(?:blue|grey|gray) (?:lips|lip|face|tongue)\\b`,
      near('asthma', 'attack|bad|severe|wont|cant|worse', 3),
      near('inhaler|pump', 'wont (?:work|help|working|helping)|not (?:working|helping)', 3),
    ],
  },
  {
    route: 'emergency',
    rule: 'anaphylaxis',
    patterns: [
      `\\banaphylaxis\\b|\\banaphylactic\\b`,
      `\\ballergic (?:reaction|shock|attack)\\b|\\bsevere (?:allergy|allergic)\\b|\\bhaving a reaction\\b|\\breacting badly\\b`,
      near('lips|lip|tongue|throat|mouth|face|airway', 'swollen|swell|swells|puffed|puffy|puffing|closing|closed|tight|tightening|blowing up|huge', 4),
      near('swollen|swell|puffy|puffed', 'lips|lip|tongue|throat|mouth|face', 3),
      `\\bthroat (?:is )?(?:closing|tightening|tight|closing up)\\b`,
      `\\bcant swallow(?:ing)?\\b(?! (?:tablets|pills|capsules|medicine|medication|them|big|large|my tablets|my pills|the tablets))|\\b(?:difficulty|trouble|problems?) (?:to |with )?swallowing\\b`,
      `\\b(?:used|use|using|gave|give|given|need to use|needed|jabbed) (?:his|her|my|their|the|an|a)? ?(?:epipen|epi pen|adrenaline|auto injector|autoinjector|jext|emerade)\\b(?! (?:prescription|prescriptions|repeat|refill|training))`,
      near('stung|sting|bee|wasp|peanut|nuts|nut|ate|eaten', 'swollen|swell|breathe|breathing|hives|throat', 5),
    ],
  },
  {
    route: 'emergency',
    rule: 'sepsis',
    patterns: [
      `\\bsepsis\\b|\\bseptic\\b|\\bsepticaemia\\b|\\bsepticemia\\b|\\bcold and clammy\\b`,
      // "Confused" is also what people say about a form; a follow-on like "about" keeps it quiet.
      `\\b(?:is|very|really|so|suddenly|gone|become|becoming|seems|acting|more|getting|and|now) confused\\b(?! (?:about|by|with|as|how|what|which|why|where|when|whether|if|over|on|because|sorry))`,
      `\\bconfused and\\b|\\b(?:sudden|new|severe|acute|extreme|and|with) confusion\\b|\\bdelirious\\b|\\bnot making (?:any )?sense\\b(?! of)`,
      `\\b(?:uncontrollable|uncontrolable|extreme|severe|violent|violently|cant stop|wont stop) (?:shivering|shaking|shakes|shiver|rigors)\\b|\\brigors\\b`,
      near('shivering|shaking', 'cant stop|uncontrollably|violently|badly|and hot|fever|temperature', 3),
      `\\b(?:not|no|wont|hasnt|havent|hadnt|not been able to) (?:had|done|passed|been for|been able to) (?:a |any )?(?:urine|wee|pee|wees|pees|water)\\b`,
      `\\b(?:not|hasnt|havent|wont|hadnt) (?:peed|weed|urinated|pee|wee|passed urine)\\b|\\bno (?:urine|pee)\\b`,
      `\\b(?:mottled|blotchy|ashen) ?(?:skin|legs|arms|face|hands|feet)?\\b|\\bblue tinged\\b`,
      near('skin|legs|arms', 'mottled|blotchy|ashen|very pale|pale and cold|cold and clammy', 3),
      `\\b(?:feel|feels|feeling|felt|think|thinks)(?: like)? (?:i|he|she|they|is) (?:is |am |are )?(?:going to|gona|gonna|might|could|about to|wil|will) die\\b`,
      `\\b(?:dying|going to die|gona die|gonna die|about to die)\\b(?! (?:for|to|of boredom|my hair|his hair|her hair))`,
    ],
  },
  {
    route: 'emergency',
    rule: 'meningitis',
    patterns: [
      `\\bmeningitis\\b|\\bmeningococcal\\b(?! (?:${adminWords}))`,
      near('rash|spots|blotches|marks|dots', '(?:wont|not|never) (?:fade|fading|faded|go|going|disappear|disappearing|blanch|blanching)', 5),
      `\\bglass test\\b|\\btumbler test\\b|\\bnon ?blanching\\b|\\bwont blanch\\b`,
      near('rash|spots', 'glass|tumbler', 6),
      near('glass|tumbler', 'rash|spots|fade', 6),
      `\\bpurple (?:rash|spots|blotches|dots|marks|bruises)\\b|\\bpin ?prick (?:rash|spots)\\b`,
      near('stiff neck|neck (?:is |is very )?stiff|cant (?:bend|move) (?:his|her|my|their) neck', 'fever|temperature|hot|headache|light|rash|vomiting|sick|drowsy|burning up', 6),
      near('fever|temperature|hot|headache|burning up', 'stiff neck|neck (?:is )?stiff|cant (?:bend|move) (?:his|her|my|their) neck', 6),
      `\\b(?:light|lights) (?:hurts|hurting|hurt)\\b|\\bcant (?:stand|bear|look at) (?:the )?lights?\\b|\\bphotophobia\\b`,
      `\\b(?:floppy|lifeless)\\b(?! disk)|\\b(?:is|gone|went|go|going|very|al|floppy and) limp\\b`,
      `\\b(?:very|really|so|extremely|unusually|abnormally|too) (?:drowsy|sleepy|lethargic)\\b|\\bdrowsy and\\b|\\bhard to wake\\b|\\bwont wake\\b`,
      near('baby|child|son|daughter|toddler|kid|boy|girl', 'drowsy|lethargic|unresponsive|not responding', 5),
      `\\b(?:high pitched|highpitched|weak|strange|moaning) (?:cry|crying|scream|screaming)\\b`,
      `\\bbulging (?:soft spot|fontanelle)\\b`,
    ],
  },
  {
    route: 'emergency',
    rule: 'unconscious-fit',
    patterns: [
      `\\bunconscious\\b|\\bunresponsive\\b|\\bnot responding\\b|\\bwont respond\\b|\\bknocked out\\b|\\bblacked out\\b|\\bpassed out\\b|\\bcollapsed\\b`,
      `\\b(?:fainted|fainting|faint) and (?:wont|not|cant|hasnt|still)\\b`,
      `\\bcant (?:wake|rouse|get a response)\\b`,
      // "A fit note" and "fit and healthy" are the everyday meanings; they never fire.
      `\\b(?:having|had|has|keep having|keeps having|another|epileptic|first|started|big|bad)(?: a| an)? (?:fit|fits|seizure|convulsion|convulsions)\\b(?! (?:note|notes|to|for|and healthy|and wel|certificate|cert|${adminWords})\\b)`,
      notAdmin('seizure|seizing|convulsing|convulsion|convulsions'),
      `\\b(?:is|keeps|started|been|baby|son|daughter|child|he|she|and|now) (?:fiting|shaking and jerking|jerking)\\b`,
      near('fit(?! notes?\\b)|fits|seizure|fiting', 'wont stop|not stopping|stopped|minutes|mins|ages|still going', 4),
      `\\bstatus epilepticus\\b`,
    ],
  },
  {
    route: 'emergency',
    rule: 'bleeding-injury-burns',
    patterns: [
      near('severe|severely|heavy|heavily|lots|loads|pouring|gushing|spurting|uncontrolled|uncontrollable|wont stop|cant stop|non stop|profuse|profusely|serious|badly|massive', `bleeding|bleed|${blood}`, 3),
      near(`bleeding|bleed|${blood}`, 'heavily|badly|a lot|everywhere|wont stop|not stopping|cant stop|non stop|pouring|gushing|spurting|through', 4),
      `\\b(?:losing|lost) (?:a lot of |lots of |loads of )?blood\\b|\\bblood everywhere\\b|\\bpool of blood\\b`,
      `\\b(?:vomiting|coughing|throwing up|being sick|spitting up|coughed up|threw up) (?:up )?blood\\b|\\bblood in (?:his|her|my|their)? ?(?:vomit|sick)\\b`,
      near('seriously|badly|severely', 'hurt|injured|injury|burnt|burned|burn|cut', 3),
      `\\b(?:serious|severe|major|bad|big|deep|nasty|large|huge|gaping) (?:injury|injuries|burn|burns|wound|wounds|cut|gash|head injury|scald)\\b`,
      `\\b(?:head injury|hit (?:his|her|my|their) head|banged (?:his|her|my|their) head|fell on (?:his|her|my|their) head)\\b`,
      `\\b(?:car|road|motorbike|bike|traffic) (?:crash|accident|colision|collision)\\b|\\bhit by a (?:car|van|bus|lorry|vehicle)\\b`,
      `\\bfel (?:of|from|down) (?:a |the )?(?:ladder|roof|stairs|height|balcony|window|scaffolding|horse|wall)\\b|\\bfallen (?:down|of|from) (?:the |a )?(?:stairs|ladder|roof|height)\\b`,
      `\\bbroken (?:bone|leg|arm|neck|back|hip|ankle|wrist|femur|pelvis)\\b|\\bbone (?:sticking|poking) out\\b|\\bbroke (?:his|her|my|their) (?:leg|arm|neck|back|hip)\\b`,
      `\\b(?:stabbed|been shot|gunshot|shot wound|knife wound|glassed|impaled)\\b`,
      `\\b(?:burnt|burned|scalded|scald|burns)\\b(?=.*\\b(?:badly|blister|blisters|blistering|skin|large|big|whole|all over|peeling|white|charred|boiling|chip pan|fire|face)\\b)`,
      `\\b(?:boiling water|chemical burn|electric shock|electrocuted|house fire|caught fire)\\b`,
      `\\b(?:amputated|severed|cut off) (?:his|her|my|their|a)? ?(?:finger|fingers|toe|hand|thumb)\\b`,
    ],
  },
  {
    route: 'emergency',
    rule: 'suicide-overdose-self-harm',
    patterns: [
      `\\b(?:going|gona|gonna|about|planning|plan|want|wanna|wants|trying|tried|try|decided|ready) to (?:kill|end|hang|hurt|harm|drown) (?:my|him|her|them)self\\b`,
      `\\bkill (?:my|him|her|them)self\\b|\\bkms\\b`,
      `\\b(?:end|ending|take|taking) (?:my|his|her|their) (?:own )?life\\b|\\bend it (?:al|tonight|now|today)\\b|\\bend (?:it|everything) tonight\\b`,
      `\\b(?:overdose|od)\\b`,
      `\\b(?:took|taken|is taken|swallowed|downed|necked|eaten|ate|had) (?:a |an |the |his |her |my |their )?(?:al|whole|lot|lots|load|loads|bunch|handful|handfuls|box|boxes|packet|packets|pack|packs|bottle|too many|[1-9]\\d+|twenty|thirty|forty|fifty|hundred|several|tons|ton|some of|a lot of)\\b(?: [a-z0-9]+){0,5} (?:pills|tablets|paracetamol|ibuprofen|meds|medication|medicine|painkillers|co codamol|codeine|sleeping pills|antidepressants|insulin|aspirin)\\b`,
      near('pills|tablets|paracetamol|painkillers|meds|medication|sleeping pills|antidepressants', 'al at once|at once|on purpose|deliberately|to die|to end it|whole packet|whole box|the lot', 4),
      `\\b(?:cut|slit|slashed|slashing|sliced|cutting|stabbed) (?:my|his|her|their) (?:wrist|wrists|arms|arm|throat|legs|thighs|veins)\\b`,
      near('(?:cut|cutting|hurt|harmed|burnt|burned) (?:my|him|her|them)self|self harmed|self harm|selfharm|cut (?:my|his|her|their) (?:wrist|wrists|arm|arms|leg|legs|thigh|thighs)', 'bleeding|deep|stitches|wont stop|badly|too deep|a lot|loads', 5),
      `\\b(?:attempted|attempting|trying|tried) (?:suicide|to take my life)\\b|\\bsuicide (?:attempt|note|plan)\\b`,
      near('suicidal|suicide', 'plan|planned|tonight|now|right now|today|about to|going to|gona|pills|rope|bridge|knife|goodbye|note', 6),
      `\\b(?:noose|rope)\\b(?=.*\\b(?:myself|neck|hang|end it|die)\\b)`,
      `\\b(?:jump|jumping|throw (?:my|him|her)self) (?:of|from|in front of) (?:a |the |my )?(?:bridge|building|train|roof|cliff|balcony|car|bus|motorway|tower|multi storey)\\b`,
    ],
  },
  {
    // Not a row of its own in the table: asking for an ambulance or 999 is treated as an emergency.
    route: 'emergency',
    rule: 'ambulance-999',
    patterns: [
      `\\b(?:call|calling|called|ring|ringing|rang|phone|get|need|needs|send|dial|dialled|dialed) (?:an |the |for an |for )?(?:ambulance|999|paramedics?)\\b`,
    ],
  },
  {
    route: 'mental-health',
    rule: 'mental-health-crisis',
    patterns: [
      notAdmin('suicidal|suicide'),
      `\\bself ?harm(?:ing|ed|s)?\\b(?! (?:${adminWords})\\b)|\\b(?:harming|hurting|cutting|burning) (?:my|him|her|them)self\\b`,
      `\\b(?:want|wanna|wanted|wish|wishing) (?:to die|i was dead|i were dead|i wasnt here|i wasnt alive|to not be here|to not exist|to disappear)\\b|\\bbetter of dead\\b|\\bbetter of without me\\b`,
      `\\bwont (?:want to|wanna) (?:be here|live|be alive|wake up|exist|go on|carry on)\\b|\\bno (?:reason|point) (?:to|in) (?:live|living|going on|carrying on)\\b|\\bno point (?:in )?(?:anything|life|living)\\b`,
      `\\bcant (?:cope|go on|carry on|take (?:it|this|any more|anymore)|do this any ?more|keep going|stop crying)\\b(?! with (?:the|your) (?:app|website|online|system|phones?|queue))`,
      `\\b(?:mental|nervous) breakdown\\b|\\bbreaking down\\b|\\bfalling apart\\b`,
      `\\b(?:having|is|keep having|constant|bad|severe) (?:a )?panic attacks?\\b`,
      `\\bhearing voices\\b|\\bvoices (?:in|telling)\\b|\\bpsychosis\\b|\\bpsychotic\\b|\\bhallucinating\\b|\\bparanoid\\b`,
      `\\b(?:mental health|mh) (?:crisis|emergency)\\b|\\bin (?:a )?crisis\\b|\\bcrisis (?:team|line|number)\\b`,
      `\\b(?:feel|feeling|felt|feels) (?:so |really |completely |totally |very )?(?:hopeless|worthless|empty|like a burden|suicidal|low|down|depressed)\\b|\\bworthless\\b|\\bcant see a way out\\b|\\bno way out\\b`,
      `\\b(?:really|very|so|extremely|severely|badly|deeply) (?:depressed|anxious)\\b`,
      `\\b(?:thinking|thought|thoughts|think) (?:about |of )?(?:ending it|suicide|dying|killing)\\b`,
      `\\bnot safe at home\\b|\\bscared (?:of|for) my life\\b|\\bafraid for my life\\b`,
    ],
  },
  {
    route: 'baby-fever',
    rule: 'baby-fever',
    patterns: [near(babyWords(), feverWords(), 8), near(feverWords(), babyWords(), 8)],
  },
  {
    route: 'urgent-care',
    rule: 'urgent-or-closed',
    patterns: [
      `\\b(?:urgent|urgently|emergency|emergencies|aande|accident and emergency|out of hours|walk in centre|urgent treatment centre|asap|right away)\\b`,
      `\\b(?:ambulance|paramedic|paramedics|999|111)\\b`,
      near('need|needs', 'doctor|gp|nurse|someone|somebody|help', 3) + `(?=.*\\b(?:today|tonight|now|right now|quickly|straight away|this evening|this weekend)\\b)`,
      near('closed|shut|no answer|not answering|cant get through|nobody answering', 'ill|unwel|sick|poorly|worse|pain|hurt|hurts|urgent', 6),
      near('ill|unwel|sick|poorly|worse|pain|hurt|hurts', 'closed|shut|no answer|not answering|cant get through', 6),
      `\\b(?:feel|feels|feeling|felt) (?:really |very |so |quite |extremely )?(?:ill|unwel|poorly|rough|dreadful|terrible|awful|sick|faint|dizzy|weak|like death)\\b(?! (?:of|and tired))`,
      `\\b(?:is|really|very|so) (?:really |very |so |quite |extremely )?(?:ill|unwel|poorly|sick|faint|dizzy)\\b(?! (?:note|notes|leave|pay|line|day|days|cert|certificate|of|and tired))`,
      `\\b(?:getting|got|going|gone) (?:worse|much worse|really bad)\\b|\\bnot getting better\\b`,
      `\\b(?:severe|agony|really bad|very bad|so bad|bad|sharp|constant|worst|sudden|terrible|awful) (?:${painCore}|headache|migraine|tummy|stomach|belly|abdominal|earache|toothache)\\b`,
      `\\bin (?:a lot of |so much |severe |real )?(?:agony|pain)\\b|\\b(?:${painCore}) in (?:my|his|her|their) [a-z]+\\b`,
      `\\b(?:high|a|is|with) (?:fever|temperature)\\b|\\bfever\\b(?<!(?:hay|yelow) fever)|\\brunning a temperature\\b|\\bburning up\\b|\\b(?:3[89]|4[01]) (?:point )?(?:\\d )?(?:degrees|c|celsius)\\b`,
      `\\b(?:vomiting|throwing up|been sick|being sick|keep being sick|diarrhoea|diarrhea|the runs|sickness bug|dehydrated|cant keep (?:anything|fluids|water|food) down)\\b(?! (?:note|notes|leave|pay))`,
      notAdmin('rash|rashes|hives|welts|blisters'),
      `\\b(?:infection|infected|abscess|cellulitis|uti|water infection|urine infection|kidney infection|chest infection|ear infection)\\b(?! (?:control|prevention))`,
      notAdmin('swollen|lump|lumps|bleeding|bruising|blood in|bleeds'),
      `\\b(?:dizzy|dizziness|fainted|fainting|palpitations|heart (?:racing|pounding|fluttering)|racing heart)\\b`,
      `\\b(?:headache|migraine|earache|toothache|sore throat|stiff neck|tummy ache|stomach ache|period pain|back pain)\\b(?! (?:${adminWords})\\b)`,
      `\\b(?:sprained|sprain|twisted|dislocated|burnt|burned|scalded|bitten|stung)\\b|\\b(?:broke|cut|hurt|injured|twisted|sprained) (?:my|his|her|their)\\b|\\bbroken (?:toe|finger|nose|rib|tooth)\\b`,
      `\\b(?:has|have|got|with|caught) (?:flu|covid|the flu|tonsillitis|conjunctivitis|shingles|chicken ?pox|measles|scarlet fever|glandular fever|gastro|a cold|sickness)\\b(?! (?:${adminWords})\\b)|\\b(?:positive for covid|flu symptoms|covid symptoms)\\b`,
      `\\b(?:coughing|cough|wheezing|wheezy|numbness|tingling|pins and needles|blurred vision|lost (?:my|his|her) (?:sight|vision|hearing)|cant see)\\b(?! (?:${adminWords})\\b)`,
      `\\bis (?:it|this|that) (?:serious|normal|bad|dangerous)\\b|\\bshould i (?:be worried|worry|go to (?:aande|hospital|the hospital)|call (?:999|111)|ring (?:999|111))\\b`,
      `\\b(?:hurts|hurting|aching|agony|itchy|itching|killing me)\\b`,
      `\\b(?:toe|finger|nose|rib|ribs|wrist|ankle|arm|leg|foot|hand|elbow|knee) (?:is |might be |could be |may be |must be |feels )?broken\\b`,
    ],
  },
];

function babyWords(): string {
  return [
    'baby|new born|neonate|little one',
    '(?:\\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|few|couple of) (?:day|days|week) old',
    '(?:1|2|one|two|a|few|couple of) month old',
    'born (?:last|this|yesterday|on)',
  ].join('|');
}

function feverWords(): string {
  return 'temperature|fever|hot|burning up|feels warm|very warm|warm to touch|3[89] (?:point )?(?:\\d )?(?:degrees|c|celsius)|3[89] point|clammy|shivery';
}

interface CompiledRow {
  route: RedFlagRoute;
  rule: string;
  re: RegExp;
}

const compiled: CompiledRow[] = rows
  .map((r) => ({ route: r.route, rule: r.rule, re: new RegExp(r.patterns.map((p) => `(?:${collapsePattern(p)})`).join('|')) }))
  .sort((a, b) => severity[a.route] - severity[b.route]);

// A month or year age over three months takes a baby out of the baby-fever row: their fever is
// still signposted, by the urgent-care row.
const olderThanThreeMonths = new RegExp(
  collapsePattern(`\\b(?:(?:[3-9]|1\\d|2\\d|three|four|five|six|seven|eight|nine|ten|eleven|twelve) month|\\d+ year|one year|two year|toddler|year old|yo|years old)\\b`),
);

/** Every row that fires, most severe route first. The first is what the interrupt acts on. */
export function detectAllRedFlags(text: string): RedFlag[] {
  const s = normaliseMessage(typeof text === 'string' ? text : String(text ?? ''));
  const out: RedFlag[] = [];
  for (const r of compiled) {
    if (!r.re.test(s)) continue;
    if (r.rule === 'baby-fever' && olderThanThreeMonths.test(s)) {
      out.push({ route: 'urgent-care', rule: 'urgent-or-closed' });
      continue;
    }
    out.push({ route: r.route, rule: r.rule });
  }
  return out.sort((a, b) => severity[a.route] - severity[b.route]);
}

/** The row the interrupt acts on, or undefined for a message it lets through. */
export function detectRedFlag(text: string): RedFlag | undefined {
  return detectAllRedFlags(text)[0];
}

// ---------------------------------------------------------------------------------------------
// The replies. Fixed wording per route: nothing here depends on what the patient wrote beyond the
// row, so nothing can be talked into saying something else.

const call999 = { label: 'Call 999', href: 'tel:999' };
const nhs111Online = { label: 'NHS 111 online (111.nhs.uk)', href: 'https://111.nhs.uk' };
const call111 = { label: 'Call 111', href: 'tel:111' };
const call111Option2 = { label: 'Call 111 and choose option 2', href: 'tel:111' };
const samaritans = { label: 'Samaritans: call 116 123', href: 'tel:116123' };
const shout = { label: 'Text SHOUT to 85258', href: 'sms:85258?body=SHOUT' };
const childline = { label: 'Childline (under 19): call 0800 1111', href: 'tel:08001111' };
const textRelay = { label: 'Text relay: 18000', href: 'tel:18000' };

const footer =
  'This chat is automated. It is not a doctor or nurse and cannot give medical advice. ' +
  'In an emergency call 999. If you are deaf or cannot speak on the phone, use text relay on 18000.';

export function redFlagReply(flag: RedFlag): Signpost {
  switch (flag.route) {
    case 'emergency': {
      const first =
        flag.rule === 'anaphylaxis'
          ? 'This could be a severe allergic reaction (anaphylaxis). Use an adrenaline auto-injector (such as an EpiPen) now if one is available, then call 999 straight away.'
          : flag.rule === 'suicide-overdose-self-harm'
            ? 'Call 999 now or go to A&E if you have taken an overdose, are injured, or are in danger of acting on thoughts of ending your life. You are not alone and help is available now.'
            : 'What you describe could be an emergency. Call 999 now, or get someone to call for you.';
      return { text: `${first} Do not wait for a reply here or for an appointment. ${footer}`, links: [call999, textRelay] };
    }
    case 'mental-health':
      return {
        text:
          'If you are in immediate danger or have harmed yourself, call 999 now. ' +
          'For urgent mental health help, call NHS 111 and choose option 2, any time. ' +
          'You can talk to Samaritans free on 116 123, day or night, or text SHOUT to 85258. ' +
          'If you are under 19, you can call Childline on 0800 1111. ' +
          footer,
        links: [call999, call111Option2, samaritans, shout, childline, textRelay],
      };
    case 'baby-fever':
      return {
        text:
          'A baby under 3 months old with a temperature of 38°C or more needs to be seen urgently. ' +
          'Contact the GP practice now, or get help from NHS 111 online or by calling 111. ' +
          'Call 999 if your baby has any emergency sign, such as struggling to breathe, being floppy or hard to wake, ' +
          'a fit, blue or grey lips, or a rash that does not fade when you press a glass on it. ' +
          footer,
        links: [call999, call111, nhs111Online, textRelay],
      };
    case 'urgent-care':
      return {
        text:
          'If you need help urgently, or the practice is closed, use NHS 111 online at 111.nhs.uk or call 111. ' +
          'They can tell you what to do and where to go. ' +
          footer,
        links: [nhs111Online, call111, call999, textRelay],
      };
  }
}
