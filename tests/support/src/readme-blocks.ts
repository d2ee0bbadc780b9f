import { readFileSync } from 'node:fs'

/**
 * The first ```ts block under the heading `## <heading>` of the Markdown file at `readmeUrl`,
 * without its fences. Throws when there is none, so a renamed heading fails the test.
 *
 * @example
 * ```ts
 * const block = readmeBlock(new URL('../README.md', import.meta.url), 'Quick example')
 * expect(block).toBe(sourceRegion(new URL('./readme-example.ts', import.meta.url), 'readme'))
 * ```
 */
export function readmeBlock(readmeUrl: URL, heading: string): string {
  const readme = readFileSync(readmeUrl, 'utf8')
  const section = readme.split(`\n## ${heading}\n`)[1]
  const block = section?.match(/```ts\n([\s\S]*?)```/)?.[1]
  if (!block) throw new Error(`${readmeUrl.pathname} has no ts block under "## ${heading}"`)
  return block
}

/**
 * The lines between `// #region <name>` and `// #endregion <name>` of the file at `fileUrl`:
 * the part of an example file a README shows verbatim. Throws when the markers are missing.
 */
export function sourceRegion(fileUrl: URL, name: string): string {
  const source = readFileSync(fileUrl, 'utf8')
  const region = source.split(`// #region ${name}\n`)[1]?.split(`// #endregion ${name}`)[0]
  if (region === undefined) {
    throw new Error(`${fileUrl.pathname} has no "// #region ${name}" … "// #endregion ${name}"`)
  }
  return region
}
