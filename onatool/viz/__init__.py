"""Maps: positions (:mod:`.layout`), styles (:mod:`.style`) and HTML or image output (:mod:`.maps`)."""
