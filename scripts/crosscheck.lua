-- crosscheck.lua: the default configuration shipped with crosscheck.
--
-- This file is Lua, run in the same sandbox as the rules: it returns a table of
-- settings. To change them for one project, copy this file to the folder you run
-- crosscheck from (./crosscheck.lua is read before the installed default) or pass
-- --config FILE, and edit the copy. A misspelt setting is an error, not ignored.
--
-- Paths: relative paths are relative to the folder of this file, except `rules`,
-- which is relative to the scripts folder. This file lives in scripts/, so its own
-- folder is the scripts folder. A copy in a project folder normally says
-- scripts = "scripts" (or an absolute path) to find the scripts.

return {
  -- scripts: the folder holding the Lua modules (clean, assemble, vocab/, rules/).
  -- Left out here: a configuration inside a folder named "scripts" uses that folder;
  -- elsewhere the default is the "scripts" folder next to the configuration file.
  -- scripts = "scripts",

  -- plugin_path: folders searched for extractor plugins (*.so), in this order, before
  -- the plugins built with crosscheck. One folder or a list of folders.
  plugin_path = {},

  -- builtin_plugins: also load the plugins that ship with crosscheck (such as
  -- quantities). Set to false to run only the plugins found in plugin_path.
  builtin_plugins = true,

  -- plugins: options handed to each plugin when it starts, by plugin name. Each plugin
  -- documents its own options. Values are strings, numbers, booleans, or tables of
  -- them (a plugin reads count_nouns[2] as "count_nouns.2").
  plugins = {
    quantities = {
      -- Nouns after which "a", "one" and the bare vague words ("several", "a few",
      -- "dozens") are figures ("one miner", "a soldier", "several civilians"), and
      -- that end a figure's unit_text. Singular forms; plurals are recognised from
      -- them. This list replaces the plugin's built-in one. The default is every
      -- counted noun of vocab/units.lua and vocab/persons.lua (lib/count_nouns.lua),
      -- so that a noun added to the vocabulary is one the plugin counts.
      count_nouns = require("lib.count_nouns"),
      -- Four-digit figures that look like years ("in 2024") are not quantities.
      skip_years = true,
    },
    fingerprint = {
      -- MinHash of k-word shingles for finding rewrites (rules/derived_copies.lua).
      -- 128 positions estimate the share of shared wording to about +-0.03.
      shingle = 3,
      hashes = 128,
    },
    entities = {
      -- The gazetteer: party id = { names that refer to it }. Every country (with its
      -- demonyms and capital) from vocab/countries.lua, then the agencies and people
      -- of vocab/parties.lua (see vocab/gazetteer.lua). Names match case-sensitively
      -- as whole words, longest first (in a headline in capitals, without regard to
      -- case, except all-capital acronyms).
      parties = require("vocab.gazetteer"),
    },
  },

  -- disable: plugins not to run, by name, even when they are found.
  disable = {},

  -- clean: the module (under scripts) with the patterns that recognise page
  -- furniture, bylines, datelines, comment sections and abbreviations.
  clean = "clean",

  -- assemble: the module (under scripts) that turns mentions into claims.
  assemble = "assemble",

  -- rules: the folder (under scripts) of reconciliation rules; every *.lua file in it
  -- is loaded.
  rules = "rules",

  -- limits: what one script or one document may use. Hitting a limit fails that rule
  -- or that document, with a message; the run goes on.
  limits = {
    lua_memory_mb = 256,          -- memory of one Lua state, in MiB
    lua_instructions = 100000000, -- Lua VM instructions per call into a script
    max_document_mb = 16,         -- larger input documents are skipped, in MiB: a
                                  -- file, an archive member, a JSONL line, a WARC body
    max_compression_ratio = 200,  -- a member that decompresses to more than this many
                                  -- times its compressed size (plus 1 MiB) is taken
                                  -- for a decompression bomb and not read
    max_archive_depth = 4,        -- archives inside archives, the outermost counting 1
  },
}
