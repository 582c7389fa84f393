// One wrapper applied to every activity of a set (heartbeats, clear failures), keeping the set's type.

export type Activities = Record<string, (...args: never[]) => Promise<unknown>>;

type AnyActivity = (...args: unknown[]) => Promise<unknown>;

export function wrapEach<T extends Activities>(activities: T, wrap: (activity: AnyActivity) => AnyActivity): T {
  return Object.fromEntries(
    Object.entries(activities).map(([name, activity]) => [name, wrap(activity as AnyActivity)]),
  ) as unknown as T;
}
