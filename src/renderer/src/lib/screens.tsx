import type { ComponentType, ReactNode } from 'react';
import type { Role } from '@shared/model/session';
import type { WorkspaceView } from '@shared/model/workspace';

/**
 * Every screen of the console and its parameters, one property per screen. It is empty here on
 * purpose: each feature adds its own screens by declaration merging in its `screens.tsx`
 * (`declare module '../../lib/screens' { interface ScreenParams { case: { tenantId: string; caseId: string } } }`),
 * so `navigate` stays typed without a union in one file that every new screen would have to grow,
 * and without this module importing any feature.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by the features, see above
export interface ScreenParams {}

export type ScreenName = keyof ScreenParams;

/** The parameters of a screen that has none. */
export type NoParams = Record<never, never>;

/** One screen with its parameters, as `navigate` takes it and the store keeps it. */
export type ScreenOf<N extends ScreenName> = { name: N } & ScreenParams[N];

/** Where the console can be. */
export type Screen = { [N in ScreenName]: ScreenOf<N> }[ScreenName];

/** What navigation entries and screens may look at to decide whether they show or light up. */
export interface NavigationContext {
  /** The active workspace, if any. */
  workspace: WorkspaceView | undefined;
  /** The operator's role in it, once the access session has been read. */
  role: Role | undefined;
}

export interface ScreenDefinition<N extends ScreenName> {
  /** Rendered with the screen as props: its parameters, and its name. */
  view: ComponentType<ScreenOf<N>>;
  /** The id of the navigation entry shown active on this screen, or a choice made from its parameters. */
  entry?: string | ((screen: ScreenOf<N>, context: NavigationContext) => string | undefined);
}

/** A feature's screens, by name: what its `index.ts` exports as `screens`. */
export type ScreenDefinitions<N extends ScreenName> = { [K in N]: ScreenDefinition<K> };

/** Every screen of the console; the compiler refuses a declared screen that has no definition. */
export type ScreenTable = ScreenDefinitions<ScreenName>;

/** One link of the navigation bar. */
export interface NavigationEntry {
  /** What screens name in their `entry` to light this one up. */
  id: string;
  label: string;
  icon: ComponentType<{ size?: number }>;
  /** `console`: always there, above the workspace; `workspace`: under the active workspace's name, only when there is one. */
  section: 'console' | 'workspace';
  /** Smaller first, within the section. */
  order: number;
  /** Where a click goes. */
  target: Screen;
  /** Who sees it; everyone when absent. */
  visible?(context: NavigationContext): boolean;
}

// `name` is `screen.name`, passed on its own so the compiler ties the screen to its own definition.

/** The screen's view with the screen as props; another screen is a new view, new parameters the same one. */
export function renderScreen<N extends ScreenName>(table: ScreenTable, name: N, screen: ScreenOf<N>): ReactNode {
  const View = table[name].view;
  return <View key={name} {...screen} />;
}

/** The id of the navigation entry the screen lights up, if any. */
export function activeEntryOf<N extends ScreenName>(table: ScreenTable, name: N, screen: ScreenOf<N>, context: NavigationContext): string | undefined {
  const { entry } = table[name];
  return typeof entry === 'function' ? entry(screen, context) : entry;
}

/** The entries of one section that this person sees, in order. */
export function entriesOf(entries: readonly NavigationEntry[], section: NavigationEntry['section'], context: NavigationContext): NavigationEntry[] {
  return entries.filter((entry) => entry.section === section && (entry.visible?.(context) ?? true)).sort((a, b) => a.order - b.order);
}
