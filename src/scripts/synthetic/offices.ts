/**
 * The field offices of synthetic data: the 25 ERO areas of responsibility, with their IANA zones
 * and a weight for their share of the work, and the zones of any further offices.
 */

export interface SyntheticOffice {
  code: string;
  name: string;
  timeZone: string;
  /** 'City, ST': where its actions take place. */
  city: string;
  /** Relative size: share of the actions and of the staff. */
  weight: number;
}

export const OFFICES: SyntheticOffice[] = [
  {
    code: 'ATL',
    name: 'Atlanta Field Office',
    timeZone: 'America/New_York',
    city: 'Atlanta, GA',
    weight: 1.2,
  },
  {
    code: 'BAL',
    name: 'Baltimore Field Office',
    timeZone: 'America/New_York',
    city: 'Baltimore, MD',
    weight: 0.6,
  },
  {
    code: 'BOS',
    name: 'Boston Field Office',
    timeZone: 'America/New_York',
    city: 'Boston, MA',
    weight: 0.7,
  },
  {
    code: 'BUF',
    name: 'Buffalo Field Office',
    timeZone: 'America/New_York',
    city: 'Buffalo, NY',
    weight: 0.5,
  },
  {
    code: 'CHI',
    name: 'Chicago Field Office',
    timeZone: 'America/Chicago',
    city: 'Chicago, IL',
    weight: 1.1,
  },
  {
    code: 'DAL',
    name: 'Dallas Field Office',
    timeZone: 'America/Chicago',
    city: 'Dallas, TX',
    weight: 1.4,
  },
  {
    code: 'DEN',
    name: 'Denver Field Office',
    timeZone: 'America/Denver',
    city: 'Denver, CO',
    weight: 0.7,
  },
  {
    code: 'DET',
    name: 'Detroit Field Office',
    timeZone: 'America/Detroit',
    city: 'Detroit, MI',
    weight: 0.7,
  },
  {
    code: 'ELP',
    name: 'El Paso Field Office',
    timeZone: 'America/Denver',
    city: 'El Paso, TX',
    weight: 1.0,
  },
  {
    code: 'HLG',
    name: 'Harlingen Field Office',
    timeZone: 'America/Chicago',
    city: 'Harlingen, TX',
    weight: 1.1,
  },
  {
    code: 'HOU',
    name: 'Houston Field Office',
    timeZone: 'America/Chicago',
    city: 'Houston, TX',
    weight: 1.6,
  },
  {
    code: 'LOS',
    name: 'Los Angeles Field Office',
    timeZone: 'America/Los_Angeles',
    city: 'Los Angeles, CA',
    weight: 1.3,
  },
  {
    code: 'MIA',
    name: 'Miami Field Office',
    timeZone: 'America/New_York',
    city: 'Miami, FL',
    weight: 1.2,
  },
  {
    code: 'NEW',
    name: 'Newark Field Office',
    timeZone: 'America/New_York',
    city: 'Newark, NJ',
    weight: 0.8,
  },
  {
    code: 'NOL',
    name: 'New Orleans Field Office',
    timeZone: 'America/Chicago',
    city: 'New Orleans, LA',
    weight: 1.0,
  },
  {
    code: 'NYC',
    name: 'New York City Field Office',
    timeZone: 'America/New_York',
    city: 'New York, NY',
    weight: 1.0,
  },
  {
    code: 'PHI',
    name: 'Philadelphia Field Office',
    timeZone: 'America/New_York',
    city: 'Philadelphia, PA',
    weight: 0.7,
  },
  {
    code: 'PHO',
    name: 'Phoenix Field Office',
    timeZone: 'America/Phoenix',
    city: 'Phoenix, AZ',
    weight: 1.3,
  },
  {
    code: 'SEA',
    name: 'Seattle Field Office',
    timeZone: 'America/Los_Angeles',
    city: 'Seattle, WA',
    weight: 0.6,
  },
  {
    code: 'SFR',
    name: 'San Francisco Field Office',
    timeZone: 'America/Los_Angeles',
    city: 'San Francisco, CA',
    weight: 0.8,
  },
  {
    code: 'SLC',
    name: 'Salt Lake City Field Office',
    timeZone: 'America/Denver',
    city: 'Salt Lake City, UT',
    weight: 0.6,
  },
  {
    code: 'SNA',
    name: 'San Antonio Field Office',
    timeZone: 'America/Chicago',
    city: 'San Antonio, TX',
    weight: 1.4,
  },
  {
    code: 'SND',
    name: 'San Diego Field Office',
    timeZone: 'America/Los_Angeles',
    city: 'San Diego, CA',
    weight: 1.0,
  },
  {
    code: 'SPM',
    name: 'St. Paul Field Office',
    timeZone: 'America/Chicago',
    city: 'St. Paul, MN',
    weight: 0.5,
  },
  {
    code: 'WAS',
    name: 'Washington Field Office',
    timeZone: 'America/New_York',
    city: 'Fairfax, VA',
    weight: 0.9,
  },
];

/** Zones for offices beyond the 25 named ones (O26, O27, ...), in turn. */
export const EXTRA_ZONES = [
  'America/New_York',
  'America/Chicago',
  'America/Denver',
  'America/Los_Angeles',
  'America/Phoenix',
  'America/Anchorage',
  'Pacific/Honolulu',
];
