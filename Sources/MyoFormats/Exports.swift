// The file utilities are a module of their own (MyoFiles); whoever reads formats uses them too.
@_exported import MyoFiles
