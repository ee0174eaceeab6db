import type { MetricName } from './contest-file.schema.js';

// Kept apart from the zod schemas: a screen that only words the rules imports these without zod.

export function isRatioMetric(metric: MetricName): boolean {
  return metric === 'avgCheck' || metric === 'conversion';
}

/** Metrics whose raw value is an amount of money (minor units), not a count or a percentage. */
export function isMoneyMetric(metric: MetricName): boolean {
  return (
    metric === 'turnover' ||
    metric === 'margin' ||
    metric === 'avgCheck' ||
    metric === 'productTurnover'
  );
}
