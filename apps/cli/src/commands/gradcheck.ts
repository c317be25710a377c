// `nnkit gradcheck`: the course's gradient check of a network on a few examples, at initialization
// and optionally again after some training.
import { gradCheck } from '@nnkit/layers';
import { init } from '@nnkit/tensor-wasm';
import type { Command } from 'commander';
import { loadDataset } from '../data/load-dataset';
import { prepareData } from '../data/prepare';
import { EXIT_FAILURE } from '../errors';
import { int } from '../format';
import type { Io } from '../io';
import { buildModel, describeNetwork, lossFor } from '../model/build-model';
import { buildOptimizer } from '../model/optimizer';
import { integer, integerList, real } from '../options';
import { trainLoop } from '../train/train-loop';

/** The course's reading of the relative difference. */
export function verdictOf(d: number): string {
  return d < 1e-7 ? 'correct (< 1e-7)' : d < 1e-5 ? 'probably correct (< 1e-5)' : d < 1e-3 ? 'suspicious (≥ 1e-5)' : 'wrong (≥ 1e-3)';
}

/**
 * Adds `gradcheck` to the program.
 * @param program - the root command
 * @param io - where the command prints
 * @param setExit - receives the command's exit code
 */
export function registerGradcheck(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('gradcheck')
    .description('compare back-propagation with two-sided differences in float64, at initialization and after training')
    .option('--dataset <name>', 'mnist, moons, circles, spiral, or csv:<path>', 'moons')
    .option('--layers <units>', 'hidden layer sizes', integerList, [16, 8])
    .option('--batch-norm', 'batch-normalize the hidden layers', false)
    .option('--dropout <rate>', 'dropout rate (turned off during the check, as it must be)', real(0, 0.95), 0)
    .option('--l2 <lambda>', 'L2 λ (its cost and gradient are part of the check)', real(0, Infinity), 0)
    .option('--examples <n>', 'examples in the checked batch', integer(1), 16)
    .option('--max-entries <n>', 'parameters checked at most (a seeded sample of larger models)', integer(1), 2000)
    .option('--after-epochs <n>', 'also check after this many epochs of Adam (0 = only at initialization)', integer(0), 3)
    .option('--seed <n>', 'seed', integer(0), 1)
    .action(async (o: { dataset: string; layers: number[]; batchNorm: boolean; dropout: number; l2: number; examples: number; maxEntries: number; afterEpochs: number; seed: number }) => {
      await init();
      const data = await loadDataset(o.dataset, o.seed);
      const prepared = prepareData(data, { ratios: { train: 0.8, dev: 0.2, test: 0 }, seed: o.seed, normalization: data.image ? 'global' : 'feature' });
      const outputs = data.classes === 2 ? 1 : data.classes;
      const net = { hidden: o.layers, activation: 'relu' as const, init: 'he' as const, batchNorm: o.batchNorm, dropout: o.dropout, l2: o.l2 };
      const model = buildModel(data.x.shape[1], outputs, net, o.seed);
      const optimizer = buildOptimizer({ optimizer: 'adam', learningRate: 1e-3, decay: 'none', decayEvery: 1, epochs: o.afterEpochs });
      model.compile({ loss: lossFor(outputs), optimizer, metrics: ['accuracy'] });
      io.out(`network: ${describeNetwork(data.x.shape[1], outputs, net)} on ${data.name}`);
      const k = Math.min(o.examples, prepared.train.x.shape[0]);
      const m = prepared.train.x.shape[0];
      let ok = true;
      const check = (when: string) => {
        const r = gradCheck(model, prepared.train.x.rows(0, k), prepared.train.y.rows(0, k), { maxEntries: o.maxEntries, trainingExamples: m });
        ok &&= r.passed;
        io.out(`\n${when}: relative difference ${r.relativeDifference.toExponential(3)} → ${verdictOf(r.relativeDifference)}`);
        io.out(`  ${int(r.checked)} of ${int(r.total)} parameters, ${k} examples, ε ${r.epsilon}, float64${r.dropoutDisabled ? ', dropout off' : ''}`);
        for (const n of r.notes) io.out(`  note: ${n}`);
        io.out('  largest differences:');
        for (const w of r.worst) io.out(`    ${w.name}[${w.index}]  backprop ${w.analytic.toExponential(6)}  numeric ${w.numeric.toExponential(6)}`);
      };
      check('at initialization');
      if (o.afterEpochs > 0) {
        await trainLoop(model, prepared, { epochs: o.afterEpochs, batchSize: 32, seed: o.seed, patience: 0, normalizer: prepared.normalizer });
        check(`after ${o.afterEpochs} epochs of Adam`);
      }
      setExit(ok ? 0 : EXIT_FAILURE);
    });
}
