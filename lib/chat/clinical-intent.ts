// Spots a clinical question that is not an emergency (a dose, "is this serious", "what have I
// got", "A&E or wait?") so the chatbot refuses it with a fixed reply instead of retrieving. It runs
// after the red-flag interrupt and before retrieval. It leans towards refusing: an admin question
// caught here still gets the practice's phone number, while a clinical one answered from a page
// would be advice. Admin wording about medicines ("order my medication", "medication review") is
// left alone.

const symptoms =
  'pain|painful|ache|aches|aching|headache|migraine|fever|temperature|cough|coughing|rash|lump|bump|swelling|swollen|bleeding|blood in|vomit|vomiting|' +
  'diarrhoea|diarrhea|dizzy|dizziness|itch|itchy|infection|infected|sore|cold|flu symptoms|sick|nausea|nauseous|breathless|wheez|bruise|bruising|' +
  'mole|discharge|burning|numb|tingling|palpitations|cramps?|constipat|insomnia|can\'?t sleep|tired all the time';

const medicines =
  'paracetamol|ibuprofen|aspirin|codeine|co-codamol|naproxen|amoxicillin|antibiotics?|antihistamines?|calpol|nurofen|sertraline|citalopram|' +
  'fluoxetine|metformin|insulin|statins?|omeprazole|morphine|tramadol|diazepam|inhaler|steroids?|painkillers?|medicine|medication|tablets?|pills?|capsules?';

const patterns: RegExp[] = [
  // Doses and how to take a medicine.
  /\b(dose|doses|dosage|dosing|overdose limit|how (much|many)\b.*\b(take|have|give))/,
  /\b\d+(\.\d+)?\s?(mg|mcg|µg|ml|milligrams?|millilitres?)\b/,
  new RegExp(`\\b(should|can|could|may|do) (i|we|he|she|they|my \\w+) (take|have|give|stop|use|mix|double)\\b.*\\b(${medicines})\\b`),
  new RegExp(`\\b(is it (safe|ok|okay|alright)|safe) to (take|mix|give|use|stop)\\b`),
  new RegExp(`\\b(${medicines})\\b.*\\b(with|and) (alcohol|drink|beer|wine|other|each other)\\b`),
  /\bside[- ]effects?\b/,
  /\b(interact|interaction)s?\b/,
  // Asking what is wrong, or whether it is serious: a diagnosis.
  /\bdiagnos/,
  /\bwhat('?s| is) wrong with (me|him|her|my)\b/,
  /\bwhat (do|does|could|might) (i|he|she|my \w+) have\b/,
  /\b(could|might) (i|he|she|they|my \w+) have\b/,
  /\b(could|might) (it|this|that) be\b/,
  /\bis (it|this|that|my \w+) (serious|normal|dangerous|cancer|infected|contagious|catching|worrying|bad|broken)\b/,
  /\b(should i|do i need to) (be )?(worried|worry|concerned)\b/,
  /\b(my|his|her|their|these|those|the) symptoms\b|\bsymptoms of\b/,
  /\bhow (do|can|should) (i|we) (treat|cure|get rid of|stop)\b|\b(treatment|cure|remedy|remedies) for (my|his|her|a|an|this)\b/,
  // Triage: where to go, how urgent.
  /\b(a ?(&|and|n) ?e|accident and emergency|emergency department|walk-in|urgent care)\b.*\bor\b/,
  /\bor (wait|go to (a ?(&|and) ?e|hospital))\b/,
  /\b(how|is it) urgent\b/,
  /\bshould i (go to|call|ring) (a ?(&|and) ?e|hospital|999|111|an ambulance)\b/,
  /\bdo i need (to go to )?(a ?(&|and) ?e|hospital|an ambulance|antibiotics)\b/,
  // Describing one's own symptoms.
  new RegExp(`\\b(i|i'?ve|i have|i'?ve got|i am|i'?m|my \\w+ (has|have|is|keeps)|he has|she has|he'?s got|she'?s got)\\b.{0,30}\\b(${symptoms})`),
  /\b(i feel|i'?m feeling|feeling) (ill|unwell|sick|poorly|rough|awful|faint|weak|low)\b/,
  /\bhurts?\b/,
];

/** Words that make a message about medicines administrative, whatever else it says. */
const adminAboutMedicines = /\b(order|ordering|repeat|prescription|collect|collecting|dispensary|pharmacy|review|delivery|deliver|ready|request)\b/;
const medicineOnly = new RegExp(`\\b(${medicines})\\b`);

/** Asking the chatbot itself to do a clinician's job: prescribe, diagnose, sign someone off. */
const clinicianActs: RegExp[] = [
  /\b(can|could|will|would|please) (you|u) (prescribe|diagnose|examine|assess|sign me off|write me|give me)\b/,
  /\bprescribe (me|him|her|my)\b/,
  /\bwrite (me|him|her|us) a (fit|sick) note\b/,
  /\bsign (me|him|her) off\b/,
  /\b(which|what) (antibiotic|antibiotics|medicine|medication|painkiller|tablets?|pills?|cream|inhaler)\b.{0,25}\b(take|ask for|use|get|need|have|try|give)\b/,
  /\bpretend (you are|to be|you'?re) (a |an )?(doctor|gp|nurse|clinician|pharmacist)\b/,
  /\bact as (a |an )?(doctor|gp|nurse|clinician|pharmacist)\b/,
];

/**
 * Probing or overriding the chatbot's instructions. Not clinical, but it gets the same fixed
 * reply: nothing in it is a question the practice's pages answer.
 */
const instructionProbes: RegExp[] = [
  /\b(ignore|disregard|forget|override|bypass)\b.{0,30}\b(instructions?|rules|prompt|guidelines|restrictions)\b/,
  /\b(reveal|show|print|repeat|tell me|translate|output|display|what is|what are|what's)\b.{0,20}\b(your|the) (system )?(prompt|instructions?|rules|guidelines)\b/,
  /\b(print|repeat|copy|output)\b.{0,20}\b(text|message|words) (above|before)\b/,
  /\b(jailbreak|developer mode|dan mode)\b/,
];

export function asksAboutInstructions(text: string): boolean {
  const t = text.toLowerCase();
  return instructionProbes.some((p) => p.test(t));
}

export function isClinicalQuestion(text: string): boolean {
  const t = ` ${text.toLowerCase().replace(/[’]/g, "'").replace(/\s+/g, ' ')} `;
  if (clinicianActs.some((p) => p.test(t))) return true;
  // "I have a cold, can I still get my flu jab?" is clinical enough to refuse, but
  // "how do I order my medication" or "a sick note" is not: admin words win only over bare medicine words.
  if (/\b(sick|fit) note\b/.test(t) && !/\b(dose|diagnos|symptom|serious)\b/.test(t)) return false;
  for (const p of patterns) {
    if (!p.test(t)) continue;
    if (adminAboutMedicines.test(t) && !/\b(dose|dosage|diagnos|serious|side[- ]effect|symptom|how (much|many))\b/.test(t) && medicineOnly.test(t)) continue;
    return true;
  }
  return false;
}
