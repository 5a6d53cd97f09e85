import { Scenario } from '@/lib/channels/scenarios';
import airlineAttack from './airline-attack.json';
import background from './background.json';
import discountStorm from './discount-storm.json';
import forgedEmail from './forged-email.json';
import spoofedCall from './spoofed-call.json';

/** Every drill scenario by name, checked against the schema; the files beside this one are the data. */
export const scenarios: Record<string, Scenario> = {
  background: Scenario.parse(background),
  'airline-attack': Scenario.parse(airlineAttack),
  'discount-storm': Scenario.parse(discountStorm),
  'forged-email': Scenario.parse(forgedEmail),
  'spoofed-call': Scenario.parse(spoofedCall),
};

/** Names, for help texts and the admin's drill menu. */
export const scenarioNames = Object.keys(scenarios);
