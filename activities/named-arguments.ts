// Activities take one object. Tasks that workflow code of release 0.2 scheduled before that change (a sync
// running through an upgrade) still carry positional arguments: this names them, in one place per activity.
// Remove once no 0.2 sync can still be running.

/** The activity, also callable with its input's fields as positional arguments, in `names` order. */
export function acceptingPositional<I extends object, R>(
  names: readonly (keyof I & string)[],
  activity: (input: I) => Promise<R>,
): (input: I) => Promise<R> {
  return (...args: unknown[]) => {
    const [first] = args;
    const named =
      args.length === 1 && typeof first === 'object' && first !== null && names[0] !== undefined && names[0] in first;
    return activity(named ? (first as I) : (Object.fromEntries(names.map((name, index) => [name, args[index]])) as I));
  };
}
