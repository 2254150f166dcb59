import { measureCycleUsage } from './cost-measure.ts';
import { deployedShape } from './deployed-shape.ts';
const shape = deployedShape();
const m = await measureCycleUsage({ vertices: Number(process.env['V'] ?? 10), detailed: false, shape, jobs: 10, measuredTicks: 10 });
console.log(JSON.stringify(m.usage));
