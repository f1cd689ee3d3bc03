import { faker } from '@faker-js/faker';
import type { Rng } from './random';

/**
 * Word lists for realistic demo values, read once from faker's English locale and then drawn with
 * our own seeded generator (see random.ts for why not faker's).
 */
const d = faker.definitions;
const ascii = (s: string): string => s.normalize('NFKD').replace(/[^\x20-\x7e]/g, '');
const clean = (list: readonly string[]): string[] => [...new Set(list.map(ascii).filter((w) => /^[A-Za-z' -]+$/.test(w)))];

export const FIRST_NAMES = clean([...d.person.first_name.generic ?? [], ...d.person.first_name.female ?? [], ...d.person.first_name.male ?? []]);
export const LAST_NAMES = clean(d.person.last_name.generic ?? []);
export const CITIES = clean(d.location.city_name);
export const COMPANY_SUFFIXES = ['Group', 'Inc', 'LLC', 'Ltd', 'and Sons', 'Partners', 'Holdings'];
export const BUZZ_NOUNS = clean(d.company.buzz_noun);
export const BUZZ_ADJECTIVES = clean(d.company.buzz_adjective);
export const PRODUCTS = ['mobile app', 'web portal', 'billing account', 'broadband plan', 'credit card', 'loyalty card', 'smart meter', 'insurance policy', 'online banking', 'delivery subscription'];
export const USER_AGENTS = [
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36',
  'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
];

const CASE_TITLES: Array<(r: Rng) => string> = [
  (r) => `Unable to log in to the ${r.pick(PRODUCTS)}`,
  (r) => `Refund request for order #${r.int(10000, 99999)}`,
  (r) => `Billing discrepancy on invoice INV-${r.int(100000, 999999)}`,
  (r) => `${cap(r.pick(PRODUCTS))} outage reported in ${r.pick(CITIES)}`,
  () => 'Password reset email not received',
  (r) => `Delivery of shipment ${r.hex(8).toUpperCase()} delayed`,
  (r) => `Complaint about service at the ${r.pick(CITIES)} branch`,
  () => 'Request to update account contact details',
  (r) => `Cancel subscription for ${r.pick(PRODUCTS)}`,
  () => 'Data export request under GDPR article 15',
  (r) => `Charged twice for ${r.pick(PRODUCTS)} renewal`,
  (r) => `Error ${r.pick(['E102', 'E404', 'E500', 'E733', 'E9001'])} when paying online`,
  () => 'Card blocked after travel abroad',
  (r) => `Question about ${r.pick(BUZZ_ADJECTIVES)} ${r.pick(BUZZ_NOUNS)} pricing`,
  () => 'Wrong address on latest statement',
  () => 'Callback requested about a missed appointment',
];

const DESCRIPTIONS = [
  'Customer reports the issue started after the latest update and has tried the usual troubleshooting steps.',
  'The customer called twice this week and is asking for a written confirmation once this is resolved.',
  'Reported through the web form; screenshots attached in the documents tab.',
  'Escalated from first line after the standard script did not resolve the problem.',
  'Customer is a long-standing account holder and asked for a goodwill gesture.',
  'Issue reproduced by the agent on a test account; engineering has been informed.',
  'Customer prefers to be contacted by email outside business hours.',
];

const INBOUND = [
  "Hi, I'm still waiting for an update on this. Could you tell me when it will be fixed?",
  'I tried again this morning and I get the same error. This is getting frustrating.',
  'Thanks for the quick reply, that solved part of the problem.',
  'Can someone call me back? My number is on the account.',
  'I have attached the receipt you asked for.',
  'The refund has not arrived yet, it has been more than ten days.',
  'Please close this request, everything works now. Thank you!',
];

const OUTBOUND = [
  "Thanks for getting in touch. I've looked into your account and escalated the issue to our billing team.",
  "We're sorry for the inconvenience. The fix is scheduled for tonight's maintenance window.",
  'Could you confirm the last four digits of the card used for the payment?',
  "I've issued the refund; it should appear on your statement within five working days.",
  'Following up on our call: the case is now resolved. Reply to this message if anything else comes up.',
  'We have reset your access. Please try logging in again and let us know how it goes.',
];

const TASK_TITLES = [
  'Call the customer back', 'Verify identity documents', 'Issue refund', 'Escalate to billing', 'Check delivery status with carrier',
  'Send written confirmation', 'Review payment history', 'Schedule technician visit', 'Close case after confirmation',
];

const NOTE_TEXTS = [
  'Customer called to follow up on their request. I informed them that we are still investigating the issue.',
  'Spoke with the supervisor; goodwill credit approved.',
  'Customer sounded upset; handle with care on the next contact.',
  'Left a voicemail, will try again tomorrow morning.',
  'Engineering confirmed the root cause, fix going out this week.',
];

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export const words = {
  caseTitle: (r: Rng): string => r.pick(CASE_TITLES)(r),
  description: (r: Rng): string => r.sample(DESCRIPTIONS, r.int(1, 2)).join(' '),
  interaction: (r: Rng, direction: 'inbound' | 'outbound'): string => r.pick(direction === 'inbound' ? INBOUND : OUTBOUND),
  taskTitle: (r: Rng): string => r.pick(TASK_TITLES),
  note: (r: Rng): string => r.pick(NOTE_TEXTS),
  company: (r: Rng): string =>
    r.weighted([
      [() => `${r.pick(LAST_NAMES)} ${r.pick(COMPANY_SUFFIXES)}`, 3],
      [() => `${r.pick(LAST_NAMES)} & ${r.pick(LAST_NAMES)}`, 2],
      [() => `${r.pick(CITIES)} ${cap(r.pick(BUZZ_NOUNS))}`, 2],
    ] as const)(),
  person: (r: Rng): { first: string; last: string } => ({ first: r.pick(FIRST_NAMES), last: r.pick(LAST_NAMES) }),
  ipv4: (r: Rng): string => `${r.int(11, 223)}.${r.int(0, 255)}.${r.int(0, 255)}.${r.int(1, 254)}`,
  slug: (s: string): string => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'tenant',
};
