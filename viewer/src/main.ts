/** The viewer's entry: registers the shell, which registers its panels. */
import "./tsm-viewer.ts"
