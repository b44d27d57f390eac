/** A full-page message for when the app cannot run at all (e.g. no access token). */
export function Fatal({ title, text }: { title: string; text: string }) {
  // `backticks` in the text mark commands: show them as code.
  const parts = text.split('`');
  return (
    <main className="fatal" data-testid="fatal" role="alert">
      <h1>{title}</h1>
      <p>{parts.map((part, i) => (i % 2 === 1 ? <code key={i}>{part}</code> : part))}</p>
    </main>
  );
}
