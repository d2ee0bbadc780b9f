import Router from '@koa/router'
import { type Demo, field, homePage, localPath, parseTheme, saveName } from '@tessera/demo-kit'
import { formOf, pageContext, sendOutcome, sendPage } from '../context.js'

/** `/`, the name form and the theme switch. */
export function homeRoutes(demo: Demo): Router {
  const router = new Router()

  router.get('/', (ctx) => {
    sendPage(ctx, homePage(pageContext(ctx, demo), { name: ctx.session.name }))
  })

  router.post('/name', (ctx) => {
    sendOutcome(ctx, saveName(ctx.session, field(formOf(ctx), 'name')))
  })

  router.post('/theme', (ctx) => {
    const form = formOf(ctx)
    const theme = parseTheme(field(form, 'theme'))
    if (theme) ctx.session.theme = theme
    ctx.redirect(localPath(field(form, 'back')))
  })

  return router
}
