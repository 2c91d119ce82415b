// Messages that must fire the red-flag interrupt, written the way patients write: lower case,
// typos, no punctuation, indirect and third-person, British English. Every row of the red-flag
// table has at least six. `rule` is the row the message was written for; where rows overlap
// (swollen lips and breathing, a floppy feverish baby) the test accepts any row that fires as long
// as this one is among them and the route is exactly right.
import type { RedFlagRoute } from '../red-flags.ts';

export interface RedFlagCase {
  text: string;
  route: RedFlagRoute;
  rule: string;
}

const e = (rule: string, texts: string[]): RedFlagCase[] => texts.map((text) => ({ text, route: 'emergency', rule }));

export const redFlagCases: RedFlagCase[] = [
  ...e('chest-pain', [
    'i have chest pain',
    'my chesst is really tight and heavy',
    'dad says his chest feels like someone is sitting on it, pressure all across',
    'pain in my chest going down my left arm',
    'crushing pain in chest and sweating',
    'no chest pain but my jaw and arm ache and my heart is racing',
    'think im having a heart attack',
    'my husbands got bad chest pains since this morning',
    'Chest hurts when I breathe and it is spreading to my back',
    'tightness in my chest cant get comfy',
  ]),
  ...e('stroke', [
    "my dad's face has gone droopy on one side",
    'my wife cant lift her arm',
    'mum suddenly cant lift both arms and her speech is slurred',
    'grandads talking funny, words all jumbled',
    'i think my nan is having a stroak',
    'his mouth is drooping and he cant talk properly',
    'sudden numbness down my left side',
    'is this a stroke her smile is lopsided',
    'my husband is slurring his words and his face has dropped',
  ]),
  ...e('breathing', [
    'i cant breathe',
    'my son is struggling to breathe',
    'she\'s turned blue',
    'my daughter is choking on something',
    'brething really fast and cant speak in full sentences',
    'his lips have gone grey',
    'having an asthma attack and my inhaler isnt working',
    'my baby is breathing funny and grunting',
    'really short of breath just sitting still',
    'dad is gasping for air',
  ]),
  ...e('anaphylaxis', [
    'my lips are swelling up after eating nuts',
    'anaphalaxis i think, my tongue is swollen',
    'her throat is closing up',
    'I had an allergic reaction and cant swallow',
    'son stung by a bee and his face is swelling and hes wheezy',
    'used my epipen do i still need to go',
    'throat feels tight after taking a new antibiotic',
    'having a reaction to the peanut, my mouth is puffy',
  ]),
  ...e('sepsis', [
    'my mum is really confused and shivering',
    'havent had a wee all day and feel awful',
    'his skin is mottled and he feels cold',
    'i feel like i might die',
    'dad has got sepsis i think',
    'shaking uncontrollably with a fever',
    'my grans suddenly confused and not making sense',
    'I feel like Im going to die, hot and cold and shivering',
  ]),
  ...e('meningitis', [
    'rash that doesnt fade under a glass',
    'my sons got a stiff neck and a temperature',
    'the baby is floppy',
    'my daughter is very drowsy and wont wake properly',
    'purple spots on his legs that dont go when i press a glass on them',
    'could it be menigitis my boy has a bad headache and the light hurts his eyes',
    'toddler really sleepy and has spots',
    'child is limp and hard to wake',
  ]),
  ...e('unconscious-fit', [
    'my dad has collapsed',
    'she is unconscious',
    'my son is having a fit and it wont stop',
    'hes been fitting for 5 minutes',
    'wife passed out and wont wake up',
    'having a seizure',
    'grandma fainted and is not responding',
    'my friend blacked out',
  ]),
  ...e('bleeding-injury-burns', [
    'cut my hand and it wont stop bleeding',
    'bleeding heavily from a wound on my leg',
    'my son fell off a ladder',
    'he has a really deep cut',
    'my daughter burnt her arm badly with boiling water',
    'bad head injury after falling',
    'been in a car crash',
    'blood everywhere my husband cut his leg with a saw',
    'coughing up blood',
  ]),
  ...e('suicide-overdose-self-harm', [
    'i want to kill myself',
    'my son took all his pills',
    'i have overdosed',
    'she has taken an overdose of paracetamol',
    'i took 30 paracetamol',
    'going to end my life tonight',
    'i cut myself and its really deep',
    'i am suicidal and have a plan',
    'my friend said she is going to jump off a bridge',
    'overdosed on my sleeping pills',
    'i took a whole packet of tablets',
  ]),
  ...e('ambulance-999', [
    'should i call an ambulance',
    'do i need to ring 999',
  ]),
  ...(
    [
      'i feel suicidal',
      'having suicidle thoughts',
      'i dont want to be here anymore',
      'i cant cope anymore',
      'i have been self harming',
      'i wish i was dead',
      'my daughter is hearing voices',
      'im having a panic attack',
      'my partner is in crisis',
      'feeling hopeless and worthless',
    ] as const
  ).map((text): RedFlagCase => ({ text, route: 'mental-health', rule: 'mental-health-crisis' })),
  ...(
    [
      'my baby has a temperature of 38',
      '6 week old baby with a fever',
      'my newborn is burning up',
      'baby is 2 months old and feels really hot',
      'my 3 week old has a high temp',
      'infant 38.5 degrees',
      'bby has a temprature what do i do',
      'my little one is 10 weeks old and feverish',
    ] as const
  ).map((text): RedFlagCase => ({ text, route: 'baby-fever', rule: 'baby-fever' })),
  ...(
    [
      'the surgery is closed and i feel really ill',
      'i need to see a doctor today urgently',
      'you are closed and my ear really hurts',
      'i have been vomiting all night',
      'should i go to a&e',
      'got a rash on my arm',
      'my 2 year old has a high temperature',
      'i think i have a water infection',
      'severe tummy pain since last night',
      'my ankle is swollen after falling over',
      'feeling really unwell and getting worse',
      'my 6 month old has a fever',
    ] as const
  ).map((text): RedFlagCase => ({ text, route: 'urgent-care', rule: 'urgent-or-closed' })),
];
