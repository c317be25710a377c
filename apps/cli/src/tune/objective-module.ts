// Entry point @nnkit/tuning loads in each worker thread: the objective as the default export.
import { tuneObjective } from './objective';

export default tuneObjective;
