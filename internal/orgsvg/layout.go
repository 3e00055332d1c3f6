package orgsvg

// Sizes in px: one viewBox unit is one CSS px, as the chart is drawn at
// its natural size.
const (
	// boxWidth is the width of the boxes of the rows and of the heads of
	// columns; a column's boxes are set in by indent at each level,
	// their right edges aligned, down to minWidth.
	boxWidth = 200
	minWidth = 120
	indent   = 16
	// padX and padY are the room between a box's edges and its text.
	padX, padY = 8, 8
	// Titles are 14 px semibold on lines 18 px apart, subtitles 13 px
	// on lines 17 px apart, subGap below the title.
	titleSize, titleLead = 14, 18
	subSize, subLead     = 13, 17
	subGap               = 4
	maxTitleLines        = 4
	maxSubLines          = 2
	// rowGap is between two rows, where the connectors run; colGap
	// between two subtrees side by side; stackGap between two boxes of
	// a column.
	rowGap   = 32
	colGap   = 24
	stackGap = 10
	// margin surrounds the chart, room for the focus ring (ringOffset
	// beyond a box, ringWidth wide).
	margin     = 6
	ringOffset = 3
	ringWidth  = 3
	// maxWidth is the widest chart that the layout aims for: the site's
	// 1200 px container less its 32 px gutters.
	maxWidth = 1136
	// noteWidth is the least width of the note under a truncated chart.
	noteWidth = 300
)

// node is one box of the chart and where it goes.
type node struct {
	box    *Box
	parent int // index in chart.nodes; -1 for the root
	depth  int
	kids   []int
	// below is the depth of the deepest node of the subtree.
	below int
	// title and sub are the box's lines.
	title, sub []string
	// short says that the title or the subtitle is cut short.
	short      bool
	x, y, w, h float64
	// stacked is true for a box in a column, below the rows.
	stacked bool
	// filled is true for the root and the heads of columns; plain for
	// the boxes of a column below its first level, whose titles are not
	// semibold.
	filled, plain bool
}

// chart is a tree of boxes laid out.
type chart struct {
	// nodes are in breadth-first order, the root first; order lists them
	// depth first, the order of the drawing and of the Tab key.
	nodes []node
	order []int
	// truncated says that boxes were left out, beyond MaxBoxes or
	// MaxDepth.
	truncated bool
	// cut is the depth of the first level stacked in columns; the rows
	// hold the levels above it.
	cut           int
	width, height float64
	sw            []float64 // the width of each node's subtree
	rowY, rowH    []float64
}

// build takes root's tree, breadth first, so that beyond MaxBoxes or
// MaxDepth the upper levels are kept whole; it reads no more of the tree
// than it keeps.
func build(root *Box) *chart {
	c := &chart{nodes: make([]node, 1, 64)}
	c.nodes[0] = node{box: root, parent: -1}
	for i := 0; i < len(c.nodes); i++ {
		box, depth := c.nodes[i].box, c.nodes[i].depth
		if len(box.Children) == 0 {
			continue
		}
		if depth+1 >= MaxDepth {
			c.truncated = true
			continue
		}
		for k := range box.Children {
			if len(c.nodes) == MaxBoxes {
				c.truncated = true
				break
			}
			c.nodes[i].kids = append(c.nodes[i].kids, len(c.nodes))
			c.nodes = append(c.nodes, node{box: &box.Children[k], parent: i, depth: depth + 1})
		}
	}
	for i := len(c.nodes) - 1; i >= 0; i-- {
		n := &c.nodes[i]
		n.below = max(n.below, n.depth)
		if n.parent >= 0 {
			p := &c.nodes[n.parent]
			p.below = max(p.below, n.below)
		}
	}
	c.order = make([]int, 0, len(c.nodes))
	stack := []int{0}
	for len(stack) > 0 {
		i := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		c.order = append(c.order, i)
		kids := c.nodes[i].kids
		for k := len(kids) - 1; k >= 0; k-- {
			stack = append(stack, kids[k])
		}
	}
	c.sw = make([]float64, len(c.nodes))
	return c
}

// measure sets c.sw to the width of each subtree when the levels from
// cut down are stacked in columns, and returns the width of the whole.
func (c *chart) measure(cut int) float64 {
	for i := len(c.nodes) - 1; i >= 0; i-- {
		n := &c.nodes[i]
		switch {
		case n.depth >= cut:
			c.sw[i] = 0
		case n.depth == cut-1 || len(n.kids) == 0:
			// A column: its deepest box is the furthest set in.
			c.sw[i] = max(boxWidth, float64(n.below-n.depth)*indent+minWidth)
		default:
			w := float64(colGap * (len(n.kids) - 1))
			for _, k := range n.kids {
				w += c.sw[k]
			}
			c.sw[i] = max(boxWidth, w)
		}
	}
	return c.sw[0]
}

// chooseCut returns the depth from which the tree is stacked in columns:
// the deepest that keeps the chart within maxWidth, so that the upper
// levels spread as a tree and the lower ones, which are the many, stack
// as indented lists. When none does, it returns the narrowest.
func (c *chart) chooseCut() int {
	best, bestW := 1, 0.0
	for cut := c.nodes[0].below + 1; cut >= 1; cut-- {
		w := c.measure(cut)
		if w <= maxWidth-2*margin {
			return cut
		}
		if bestW == 0 || w < bestW {
			best, bestW = cut, w
		}
	}
	return best
}

// layout places every box.
func (c *chart) layout() {
	c.cut = c.chooseCut()
	c.measure(c.cut)
	c.rowH = make([]float64, c.cut)
	for i := range c.nodes {
		n := &c.nodes[i]
		n.w = boxWidth
		if n.depth >= c.cut {
			n.stacked = true
			n.w = max(boxWidth-float64(n.depth-c.cut+1)*indent, minWidth)
		}
		n.filled = i == 0 || n.depth == c.cut-1 && len(n.kids) > 0
		n.plain = n.depth > c.cut
		var shortTitle, shortSub bool
		n.title, shortTitle = wrap(clean(n.box.Title, maxRunes), titleSize, n.w-2*padX, maxTitleLines)
		n.sub, shortSub = wrap(clean(n.box.Subtitle, maxRunes), subSize, n.w-2*padX, maxSubLines)
		n.short = shortTitle || shortSub
		n.h = boxHeight(len(n.title), len(n.sub))
		if !n.stacked {
			c.rowH[n.depth] = max(c.rowH[n.depth], n.h)
		}
	}
	c.rowY = make([]float64, c.cut)
	for r := range c.rowY {
		c.rowY[r] = margin
		if r > 0 {
			c.rowY[r] = c.rowY[r-1] + c.rowH[r-1] + rowGap
		}
	}
	bottom := c.rowY[c.cut-1] + c.rowH[c.cut-1]
	for i := range c.nodes {
		if n := &c.nodes[i]; !n.stacked {
			n.h = c.rowH[n.depth] // a row's boxes are all as tall
		}
	}
	c.place(0, margin)
	// A column is the subtree under its head, which comes whole after the
	// head in depth-first order: one box under the other, each level set
	// in by indent.
	var head *node
	y := 0.0
	for _, i := range c.order {
		n := &c.nodes[i]
		if !n.stacked {
			head = n
			y = n.y + n.h + stackGap
			continue
		}
		n.x = head.x + float64(n.depth-head.depth)*indent
		n.y = y
		y += n.h + stackGap
		bottom = max(bottom, n.y+n.h)
	}
	c.width = c.sw[0] + 2*margin
	c.height = bottom + margin
}

// boxHeight is the height of a box with so many lines of title and of
// subtitle; a box without a title is as tall as one with a line of it,
// which its connector meets.
func boxHeight(title, sub int) float64 {
	h := float64(2*padY + max(title, 1)*titleLead)
	if sub > 0 {
		h += float64(subGap + sub*subLead)
	}
	return h
}

// place puts node i of the rows and its subtree from left, the node over
// its first child: the top of the chart is then at the start of the
// region that scrolls it on a narrow screen, not out of view to the
// right.
func (c *chart) place(i int, left float64) {
	n := &c.nodes[i]
	n.x, n.y = left, c.rowY[n.depth]
	if n.depth == c.cut-1 {
		return
	}
	for _, k := range n.kids {
		c.place(k, left)
		left += c.sw[k] + colGap
	}
}

// connector returns the path from the parent of node i to it: down from
// the middle of the parent's bottom edge (to its first child, straight
// below) or to a bus half way to the next row, along it and down to the
// middle of the child's top edge; in a
// column, down a spine inside the parent's left end and right to the
// child's left edge, level with its first line.
//
// It returns where the path starts and the coordinates it moves to,
// alternately vertically and horizontally, starting vertically.
func (c *chart) connector(i int) (x1, y1 float64, path []float64) {
	n := &c.nodes[i]
	p := &c.nodes[n.parent]
	if n.stacked {
		sx, cy := p.x+indent/2, n.y+padY+titleLead/2
		return sx, p.y + p.h, []float64{cy, n.x}
	}
	px, cx := p.x+p.w/2, n.x+n.w/2
	if px == cx {
		return px, p.y + p.h, []float64{n.y}
	}
	bus := p.y + p.h + rowGap/2
	return px, p.y + p.h, []float64{bus, cx, n.y}
}
