"""The portal: many reports together. Roll-ups, archives, 内容雷同, the status board,
comparisons and charts across units and years, publishing what passes (also in shards),
the province over districts (``federation``), and the synthetic district (示例数据).

Hooks into loading and checking from outside (:mod:`.portalhooks`, registered by the
package's ``__init__``): the model and the checks never import it. Never imports the
Sphinx extension or the command line.
"""
