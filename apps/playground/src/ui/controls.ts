// Builds the training controls from their specs: labelled sliders, selects, a toggle and a seed
// box, each showing its current value, hidden when it does not apply to the current settings.
import type { RunConfig } from '../training/config';
import { CONTROL_GROUPS, type ControlSpec, type SliderSpec } from './control-specs';
import { el } from './dom';

/** The controls' state and a way to set it from outside (e.g. a tuning result). */
export interface Controls {
  readonly config: RunConfig;
  set(patch: Partial<RunConfig>): void;
}

/** Index of the slider value nearest to `v`. */
function nearest(values: readonly number[], v: number): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (Math.abs(values[i] - v) < Math.abs(values[best] - v)) best = i;
  return best;
}

function formatNumber(v: number): string {
  return v !== 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e5) ? v.toExponential(1) : String(v);
}

/**
 * Renders every control group into `container`.
 *
 * @param container - where the fieldsets go
 * @param initial - the starting settings
 * @param onChange - called with the new settings after every edit
 * @returns the current settings and a setter
 */
export function createControls(container: HTMLElement, initial: RunConfig, onChange: (config: RunConfig) => void): Controls {
  let config = { ...initial };
  const refreshers: (() => void)[] = [];
  const refresh = () => {
    for (const r of refreshers) r();
  };
  const update = (patch: Partial<RunConfig>) => {
    config = { ...config, ...patch };
    refresh();
    onChange(config);
  };

  for (const group of CONTROL_GROUPS) {
    const fieldset = el('fieldset', { class: 'group' }, [el('legend', {}, [group.title])]);
    for (const spec of group.controls) fieldset.append(renderControl(spec, () => config, update, refreshers));
    container.append(fieldset);
  }
  refresh();
  return {
    get config() {
      return config;
    },
    set(patch) {
      update(patch);
    },
  };
}

function renderControl(spec: ControlSpec, get: () => RunConfig, update: (p: Partial<RunConfig>) => void, refreshers: (() => void)[]): HTMLElement {
  const id = `control-${spec.key}`;
  const labelText = el('span', { class: 'label-text' });
  const value = el('output', { class: 'value', for: id });
  const row = el('div', { class: 'control', 'data-key': spec.key }, [el('label', { for: id }, [labelText, value])]);
  const hint = 'hint' in spec && spec.hint ? el('small', { class: 'hint' }, [spec.hint]) : null;
  let refresh: () => void;
  if (spec.kind === 'slider') {
    const input = el('input', { id, type: 'range', min: '0', max: String(spec.values.length - 1), step: '1' }) as HTMLInputElement;
    input.addEventListener('input', () => update({ [spec.key]: spec.values[Number(input.value)] }));
    row.append(input);
    refresh = () => {
      const c = get();
      const v = c[spec.key] as number;
      input.value = String(nearest(spec.values, v));
      value.textContent = (spec as SliderSpec).format?.(v, c) ?? formatNumber(v);
    };
  } else if (spec.kind === 'select') {
    const select = el('select', { id }, spec.options.map(([v, text]) => el('option', { value: v }, [text]))) as HTMLSelectElement;
    select.addEventListener('change', () => update({ [spec.key]: select.value } as Partial<RunConfig>));
    row.append(select);
    refresh = () => {
      select.value = get()[spec.key];
    };
  } else if (spec.kind === 'toggle') {
    const box = el('input', { id, type: 'checkbox' }) as HTMLInputElement;
    box.addEventListener('change', () => update({ [spec.key]: box.checked }));
    row.classList.add('toggle');
    row.prepend(box);
    refresh = () => {
      box.checked = get()[spec.key];
    };
  } else {
    const input = el('input', { id, type: 'number', min: '0', max: String(2 ** 32 - 1), step: '1', inputmode: 'numeric' }) as HTMLInputElement;
    input.addEventListener('change', () => {
      const seed = Math.trunc(Number(input.value));
      if (Number.isSafeInteger(seed) && seed >= 0 && seed < 2 ** 32) update({ seed });
      else input.value = String(get().seed);
    });
    row.append(input);
    refresh = () => {
      input.value = String(get().seed);
    };
  }
  if (hint) row.append(hint);
  refreshers.push(() => {
    const c = get();
    labelText.textContent = typeof spec.label === 'function' ? spec.label(c) : spec.label;
    row.hidden = 'when' in spec && spec.when !== undefined && !spec.when(c);
    refresh();
  });
  return row;
}
