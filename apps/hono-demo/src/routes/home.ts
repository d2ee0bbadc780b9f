import { type Demo, field, homePage, localPath, parseTheme, saveName } from '@tessera/demo-kit'
import { Hono } from 'hono'
import { type AppEnv, formOf, page, pageContext, sendOutcome } from '../env.js'

/** `/`, the name form and the theme switch. */
export function homeRoutes(demo: Demo) {
  return new Hono<AppEnv>()
    .get('/', (c) => page(c, homePage(pageContext(c, demo), { name: c.var.session.get('name') })))
    .post('/name', async (c) =>
      sendOutcome(c, saveName(c.var.session, field(await formOf(c), 'name'))),
    )
    .post('/theme', async (c) => {
      const form = await formOf(c)
      const theme = parseTheme(field(form, 'theme'))
      if (theme) c.var.session.set('theme', theme)
      return c.redirect(localPath(field(form, 'back')))
    })
}
